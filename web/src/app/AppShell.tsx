import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { Avatar } from '../components/Avatar';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { Icon } from '../components/Icon';
import { MessageAnnouncer } from '../features/messages/MessageAnnouncer';
import { useLiveStatus } from '../lib/live-events';
import { paths } from '../lib/paths';
import { useSession } from '../lib/session';
import { useShownConversation } from './use-shown-conversation';

/** The frame around every signed-in screen: brand, main navigation, who is signed in. */
export const AppShell = () => {
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const live = useLiveStatus();
  const conversationShown = useShownConversation() !== null;

  const signOutNow = () => {
    signOut();
    // Straight to the sign-in page: the next person should not land in this one's conversation.
    navigate(paths.signIn, { replace: true });
  };

  return (
    // data-realtime: the push connection's state, for tools and tests ("open": frames arrive).
    // data-screen: a narrow screen gives a conversation the whole screen, the list hidden
    // (styles.css).
    <div
      className="app"
      data-realtime={session ? live : undefined}
      data-screen={conversationShown ? 'conversation' : undefined}
    >
      <header className="app-header">
        <Link to={paths.messages} className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Cruddur</span>
        </Link>
        <nav className="app-nav" aria-label="Main">
          <NavLink to={paths.messages} className="app-nav__link">
            Messages
          </NavLink>
          <NavLink to={paths.inspect} className="app-nav__link">
            Inspector
          </NavLink>
        </nav>
        {session ? (
          <div className="app-header__user">
            <Avatar
              displayName={session.user.display_name}
              handle={session.user.handle}
              size="small"
            />
            <span className="app-header__names">
              <span className="app-header__name" data-testid="signed-in-user" dir="auto">
                {session.user.display_name}
              </span>
              <span className="handle">@{session.user.handle}</span>
            </span>
            <button
              type="button"
              className="icon-button"
              onClick={signOutNow}
              aria-label="Sign out"
              title="Sign out"
            >
              <Icon name="signOut" />
            </button>
          </div>
        ) : (
          <Link to={paths.signIn} className="button button--small">
            Sign in
          </Link>
        )}
      </header>
      {session && <ConnectionBanner />}
      {/* On every screen, the inspector included: arriving messages are announced anywhere. */}
      {session && <MessageAnnouncer />}
      <div className="app-body">
        <Outlet />
      </div>
    </div>
  );
};
