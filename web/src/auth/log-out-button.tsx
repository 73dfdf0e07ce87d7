import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../routing/navigation';
import { useSessionStore } from '../session/session-context';

/** Ends the session on the server (its refresh cookie stops working and is cleared) and here. */
export function LogOutButton({ className = 'link-button' }: { className?: string }) {
  const { t } = useTranslation();
  const sessions = useSessionStore();
  const [leaving, setLeaving] = useState(false);
  const leave = async () => {
    if (leaving) return;
    setLeaving(true);
    await sessions.logOut();
    navigate('/');
  };
  return (
    <button type="button" className={className} onClick={() => void leave()} aria-disabled={leaving}>
      {t('nav.logOut')}
    </button>
  );
}
