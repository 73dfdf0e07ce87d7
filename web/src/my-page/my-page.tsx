import { SignInRequired } from '../auth/sign-in-required';
import { useSession } from '../session/session-context';
import { MyPageView } from './my-page-view';

export function MyPage() {
  const session = useSession();
  if (!session) return <SignInRequired to="to see your products, purchases and sales" />;
  return <MyPageView nickname={session.member.nickname} />;
}
