import { MEMBER_LIMITS } from '@gaji/contracts';
import { textOfAtMost } from '@gaji/platform/graphql';
import { z } from 'zod';

// Shape and size only; the domain owns the rules (valid email, password strength, nickname). The
// nickname's cap leaves room for 20 characters of any kind (a family emoji is 11 UTF-16 units); the
// email's and password's raw caps (UTF-16 units, as the domain counts them) sit above the domain's
// limits, which are what a refusal names.
export const credentials = z.object({
  email: textOfAtMost(MEMBER_LIMITS.emailMax, 320),
  password: textOfAtMost(MEMBER_LIMITS.passwordMax, 1024),
});
export const signUpInput = credentials.extend({ nickname: textOfAtMost(MEMBER_LIMITS.nicknameMax) });
export const refreshInput = z.object({ refreshToken: z.string().min(1).max(512) });
