import { useTranslation } from 'react-i18next';
import { SignInRequired } from '../auth/sign-in-required';
import { useSession } from '../session/session-context';
import { MyPageView } from './my-page-view';

export function MyPage() {
  const { t } = useTranslation();
  const session = useSession();
  if (!session) return <SignInRequired reason={t('myPage.title')} />;
  return <MyPageView nickname={session.member.nickname} />;
}
