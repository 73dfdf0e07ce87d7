import { MEMBER_LIMITS } from '@gaji/contracts';
import { DateTimeScalar, parseArgs, rawTextCap, requireIdentity } from '@gaji/platform/graphql';
import { z } from 'zod';
import { MemberNotFound } from '../../../domain/member.errors.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { memberLoader } from './member-loaders.js';
import type { MemberUseCases } from './member-use-cases.js';

// Shape and size only; the domain owns the rules (valid email, password strength, nickname). The
// nickname's cap leaves room for 20 characters of any kind (a family emoji is 11 UTF-16 units).
const credentials = z.object({ email: z.string().max(320), password: z.string().max(1024) });
const signUpInput = credentials.extend({ nickname: z.string().max(rawTextCap(MEMBER_LIMITS.nicknameMax)) });
const refreshInput = z.object({ refreshToken: z.string().min(1).max(512) });

export function memberResolvers(useCases: MemberUseCases): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Query: {
      me: async (_parent, _args, context) => {
        const { memberId } = requireIdentity(context);
        const member = await memberLoader(context, useCases.findMembers).load(memberId);
        if (!member || member.status !== 'ACTIVE') throw new MemberNotFound();
        return member;
      },
    },
    Mutation: {
      signUp: (_parent, args) => useCases.signUp.execute(parseArgs(signUpInput, args)),
      logIn: (_parent, args) => useCases.logIn.execute(parseArgs(credentials, args)),
      refreshToken: (_parent, args) =>
        useCases.refreshSession.execute(parseArgs(refreshInput, args).refreshToken),
      logOut: async (_parent, args) => {
        await useCases.logOut.execute(parseArgs(refreshInput, args).refreshToken);
        return true;
      },
      withdraw: async (_parent, _args, context) => {
        await useCases.withdraw.execute(requireIdentity(context).memberId);
        return true;
      },
    },
    AuthPayload: {
      member: async (session, _args, context) => {
        const member = await memberLoader(context, useCases.findMembers).load(session.memberId);
        if (!member) throw new MemberNotFound();
        return { ...member, ownSignIn: true };
      },
    },
    Member: {
      __resolveReference: (reference, context) =>
        memberLoader(context, useCases.findMembers).load(reference.id),
      email: (member, _args, context) =>
        member.ownSignIn || context.identity?.memberId === member.id ? member.email : null,
    },
  };
}
