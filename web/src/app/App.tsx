import { BrowserRouter } from 'react-router';
import { AnnouncerProvider } from '../components/Announcer';
import { renewCognitoToken } from '../features/auth/cognito-sign-in';
import { TokenRenewal } from '../features/auth/use-token-renewal';
import { BlocksProvider } from '../features/messages/BlocksProvider';
import { LiveEventsProvider } from '../lib/live-events';
import { SessionProvider } from '../lib/session';
import { AppRoutes } from './router';

/** The providers every screen relies on, outermost first, then the routes. */
export const App = () => (
  <SessionProvider renew={renewCognitoToken}>
    <TokenRenewal />
    <LiveEventsProvider>
      {/* My blocks: loaded once per signed-in person, whatever screen they open. */}
      <BlocksProvider>
        <AnnouncerProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AnnouncerProvider>
      </BlocksProvider>
    </LiveEventsProvider>
  </SessionProvider>
);
