import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../../lib/session';

/** Screens behind it need a signed-in user; others go to /signin and come back after. */
export const RequireSession = ({ children }: { children: ReactNode }) => {
  const { session } = useSession();
  const location = useLocation();
  if (!session) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/signin" replace state={{ from }} />;
  }
  return children;
};
