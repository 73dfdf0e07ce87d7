import { DateTimeScalar, badUserInput, unauthenticated } from '@gaji/platform/graphql';
import { z } from 'zod';
import { MemberNotFound } from '../../../domain/member.errors.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { memberLoader } from './member-loader.js';
import type { MemberUseCases } from './member-use-cases.js';

// Shape and size only; the domain owns the rules (valid email, password strength, nickname).
const credentials = z.object({ email: z.string().max(320), password: z.string().max(1024) });
const signUpInput = credentials.extend({ nickname: z.string().max(100) });
const refreshInput = z.object({ refreshToken: z.string().min(1).max(512) });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw badUserInput(result.error);
  return result.data;
}

export function memberResolvers(useCases: MemberUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      me: async (_parent, _args, context) => {
        if (!context.identity) throw unauthenticated();
        const member = await memberLoader(context, useCases.findMembers).load(context.identity.memberId);
        if (!member || member.status !== 'ACTIVE') throw new MemberNotFound();
        return member;
      },
    },
    Mutation: {
      signUp: (_parent, args) => useCases.signUp.execute(parse(signUpInput, args)),
      logIn: (_parent, args) => useCases.logIn.execute(parse(credentials, args)),
      refreshToken: (_parent, args) =>
        useCases.refreshSession.execute(parse(refreshInput, args).refreshToken),
      logOut: async (_parent, args) => {
        await useCases.logOut.execute(parse(refreshInput, args).refreshToken);
        return true;
      },
      withdraw: async (_parent, _args, context) => {
        if (!context.identity) throw unauthenticated();
        await useCases.withdraw.execute(context.identity.memberId);
        return true;
      },
    },
    AuthPayload: {
      member: async (session, _args, context) => {
        const member = await memberLoader(context, useCases.findMembers).load(session.memberId);
        if (!member) throw new MemberNotFound();
        return member;
      },
    },
    Member: {
      __resolveReference: (reference, context) =>
        memberLoader(context, useCases.findMembers).load(reference.id),
      email: (member, _args, context) => (context.identity?.memberId === member.id ? member.email : null),
    },
  };
}
