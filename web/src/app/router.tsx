import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from '../features/auth/RequireSession';
import { SignInPage } from '../features/auth/SignInPage';
import { paths, routePatterns } from '../lib/paths';
import { AppShell } from './AppShell';
import { messagesScreens } from './boot';
import { lazyScreen, onDemand } from './on-demand';
import { onDemandModule } from './on-demand-module';
import { RouteErrorBoundary } from './RouteErrorBoundary';

// Only the sign-in page is in the entry script, which every visitor downloads before anything
// shows; the signed-in screens (one chunk, which boot.ts starts early on a messages address)
// and the inspector come when first opened (test/web/entry-size.test.ts holds the entry to
// its budget).
const MessagesLayout = lazyScreen(messagesScreens, (screens) => screens.MessagesLayout);
const MessagesHome = lazyScreen(messagesScreens, (screens) => screens.MessagesHome);
const ConversationRoute = lazyScreen(messagesScreens, (screens) => screens.ConversationRoute);
const NewConversationRoute = lazyScreen(messagesScreens, (screens) => screens.NewConversationRoute);
const InspectorPage = lazyScreen(
  onDemandModule(() => import('../features/inspector/InspectorPage')),
  (inspector) => inspector.InspectorPage,
);

/**
 * The screens by address. Declarative routes (`<Routes>` in a `<BrowserRouter>`, App.tsx):
 * the app uses none of a data router's loaders or actions, and its code was a quarter of the
 * entry script.
 */
export const AppRoutes = () => (
  <RouteErrorBoundary>
    <Routes>
      <Route path={paths.signIn} element={<SignInPage />} />
      <Route element={<AppShell />}>
        {/* Open without signing in: the table is the same for everyone (local mode only). */}
        <Route
          path={paths.inspect}
          element={onDemand(<InspectorPage />, 'Loading the inspector', { landmark: true })}
        />
        <Route
          element={
            <RequireSession>
              {onDemand(<MessagesLayout />, 'Loading your messages', { landmark: true })}
            </RequireSession>
          }
        >
          {/* Each in a boundary of its own, inside the layout: the layout stays while one loads. */}
          <Route path={paths.messages} element={onDemand(<MessagesHome />, 'Loading')} />
          <Route
            path={routePatterns.newConversation}
            element={onDemand(<NewConversationRoute />, 'Loading')}
          />
          <Route
            path={routePatterns.conversation}
            element={onDemand(<ConversationRoute />, 'Loading the conversation')}
          />
        </Route>
      </Route>
      <Route path="*" element={<Navigate to={paths.messages} replace />} />
    </Routes>
  </RouteErrorBoundary>
);
