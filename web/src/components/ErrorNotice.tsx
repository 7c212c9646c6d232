import type { ReactNode } from 'react';

/** An error in place of content, with an optional way out (retry, go back). */
export const ErrorNotice = ({ children, action }: { children: ReactNode; action?: ReactNode }) => (
  <div className="error-notice" role="alert">
    <p>{children}</p>
    {action}
  </div>
);
