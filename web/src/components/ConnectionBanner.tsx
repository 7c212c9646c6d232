import { useLiveStatus } from '../lib/live-events';

/**
 * Says when live delivery is interrupted. Shown only while reconnecting; the CSS fades it in
 * after a second, so the quick reconnect of a server restart does not flash it.
 */
export const ConnectionBanner = () => {
  const status = useLiveStatus();
  if (status !== 'reconnecting') return null;
  return (
    <div className="connection-banner" role="status">
      Reconnecting… new messages will appear when the connection is back.
    </div>
  );
};
