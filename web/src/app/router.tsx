import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../features/auth/RequireSession';
import { SignInPage } from '../features/auth/SignInPage';
import { paths } from '../lib/paths';
import { AppShell } from './AppShell';
import { lazyScreen, onDemand } from './on-demand';

// Only the sign-in page is in the entry script, which every visitor downloads before anything
// shows; the signed-in screens (one chunk) and the inspector come when first opened
// (test/web/entry-size.test.ts holds the entry to its budget).
const messagesScreens = () => import('./routes/messages-screens');
const MessagesLayout = lazyScreen(async () => (await messagesScreens()).MessagesLayout);
const MessagesHome = lazyScreen(async () => (await messagesScreens()).MessagesHome);
const ConversationRoute = lazyScreen(async () => (await messagesScreens()).ConversationRoute);
const NewConversationRoute = lazyScreen(async () => (await messagesScreens()).NewConversationRoute);
const InspectorPage = lazyScreen(
  async () => (await import('../features/inspector/InspectorPage')).InspectorPage,
);

export const router = createBrowserRouter([
  { path: paths.signIn, element: <SignInPage /> },
  {
    element: <AppShell />,
    children: [
      // Open without signing in: the table is the same for everyone (local mode only).
      {
        path: paths.inspect,
        element: onDemand(<InspectorPage />, 'Loading the inspector', { landmark: true }),
      },
      {
        element: (
          <RequireSession>
            {onDemand(<MessagesLayout />, 'Loading your messages', { landmark: true })}
          </RequireSession>
        ),
        // Each in a boundary of its own, inside the layout: the layout stays while one loads.
        children: [
          { path: paths.messages, element: onDemand(<MessagesHome />, 'Loading') },
          {
            path: '/messages/new/:handle',
            element: onDemand(<NewConversationRoute />, 'Loading'),
          },
          {
            path: '/messages/:message_group_uuid',
            element: onDemand(<ConversationRoute />, 'Loading the conversation'),
          },
        ],
      },
    ],
  },
  { path: '*', element: <Navigate to={paths.messages} replace /> },
]);
