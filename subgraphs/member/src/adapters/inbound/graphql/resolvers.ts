import { DateTimeScalar, parseArgs, requireIdentity } from '@gaji/platform/graphql';
import { MemberNotFound } from '../../../domain/member.errors.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { credentials, refreshInput, signUpInput } from './member-inputs.js';
import { memberLoader } from './member-loaders.js';
import type { MemberUseCases } from './member-use-cases.js';

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
