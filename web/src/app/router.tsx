import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../features/auth/RequireSession';
import { SignInPage } from '../features/auth/SignInPage';
import { InspectorPage } from '../features/inspector/InspectorPage';
import { paths } from '../lib/paths';
import { AppShell } from './AppShell';
import { ConversationRoute } from './routes/ConversationRoute';
import { MessagesHome } from './routes/MessagesHome';
import { MessagesLayout } from './routes/MessagesLayout';
import { NewConversationRoute } from './routes/NewConversationRoute';

export const router = createBrowserRouter([
  { path: paths.signIn, element: <SignInPage /> },
  {
    element: <AppShell />,
    children: [
      // Open without signing in: the table is the same for everyone (local mode only).
      { path: paths.inspect, element: <InspectorPage /> },
      {
        element: (
          <RequireSession>
            <MessagesLayout />
          </RequireSession>
        ),
        children: [
          { path: paths.messages, element: <MessagesHome /> },
          { path: '/messages/new/:handle', element: <NewConversationRoute /> },
          { path: '/messages/:message_group_uuid', element: <ConversationRoute /> },
        ],
      },
    ],
  },
  { path: '*', element: <Navigate to={paths.messages} replace /> },
]);
