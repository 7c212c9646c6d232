import type { CSSProperties } from 'react';
import { avatarHue, initialsOf } from './avatar-style';

interface AvatarProps {
  displayName: string;
  handle: string;
  size?: 'small' | 'medium' | 'large';
}

/** Initials on a per-person colour; decorative, since the name is always shown beside it. */
export const Avatar = ({ displayName, handle, size = 'medium' }: AvatarProps) => (
  <span
    className={`avatar avatar--${size}`}
    style={{ '--avatar-hue': avatarHue(handle) } as CSSProperties}
    aria-hidden="true"
  >
    {initialsOf(displayName, handle)}
  </span>
);
