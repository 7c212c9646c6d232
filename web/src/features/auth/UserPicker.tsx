import { Avatar } from '../../components/Avatar';
import type { User } from '../../lib/api-types';

interface UserPickerProps {
  users: User[];
  /** The handle being signed in, if any: its button shows progress, all are disabled. */
  signingIn: string | null;
  onPick: (user: User) => void;
}

export const UserPicker = ({ users, signingIn, onPick }: UserPickerProps) => (
  <ul className="user-picker" aria-label="Users">
    {users.map((user) => (
      <li key={user.uuid}>
        <button
          type="button"
          className="user-picker__user"
          onClick={() => onPick(user)}
          disabled={signingIn !== null}
          aria-busy={signingIn === user.handle}
        >
          <Avatar displayName={user.display_name} handle={user.handle} />
          <span className="user-picker__names">
            <span className="user-picker__name" dir="auto">
              {user.display_name}
            </span>
            <span className="handle">@{user.handle}</span>
          </span>
          <span className="user-picker__action" aria-hidden="true">
            {signingIn === user.handle ? 'Signing in…' : 'Sign in'}
          </span>
        </button>
      </li>
    ))}
  </ul>
);
