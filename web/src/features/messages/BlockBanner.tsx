import { useState } from 'react';
import { Icon } from '../../components/Icon';
import type { Blocking } from './use-blocking';
import './BlockBanner.css';

interface BlockBannerProps {
  /** The id of the sentence that says why: the composer is described by it. */
  id: string;
  blocking: Blocking;
  /** Unblocked from the banner, whose button then goes away: the caller moves the focus on. */
  onUnblocked: () => void;
}

/**
 * Why nothing can be sent here, above the composer: "You blocked @bob." with Unblock, or, when
 * a send was refused because of a block, only that sending is not possible (being blocked is
 * never announced, so the app does not say by whom).
 */
export const BlockBanner = ({ id, blocking, onUnblocked }: BlockBannerProps) => {
  const [busy, setBusy] = useState(false);
  if (blocking.refusal === null) return null;
  const unblock = () => {
    setBusy(true);
    blocking.unblock().then((done) => {
      setBusy(false);
      if (done) onUnblocked();
    });
  };
  return (
    <div className="block-banner" data-testid="block-banner" data-refusal={blocking.refusal}>
      <span className="block-banner__icon">
        <Icon name="block" size={18} />
      </span>
      {blocking.refusal === 'you_block' && blocking.handle !== null ? (
        <>
          <p id={id} className="block-banner__text">
            You blocked <span dir="auto">@{blocking.handle}</span>. You can't message each other.
          </p>
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-describedby={id}
            onClick={unblock}
          >
            Unblock
          </button>
        </>
      ) : (
        <p id={id} className="block-banner__text">
          You can't send messages in this conversation.
        </p>
      )}
      {blocking.unblockError && (
        <p className="block-banner__error" role="alert">
          {blocking.unblockError}
        </p>
      )}
    </div>
  );
};
