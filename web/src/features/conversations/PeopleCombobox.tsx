import { type KeyboardEvent, type RefObject, useEffect, useId, useState } from 'react';
import { useAnnounce } from '../../components/Announcer';
import { Avatar } from '../../components/Avatar';
import type { User } from '../../lib/api-types';
import { describeFound, usePeopleSearch } from './use-people-search';
import './PeopleCombobox.css';

interface PeopleComboboxProps {
  /** The input's id, for its <label>. */
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** A person chosen from the list (Enter on the highlighted one, or a click or tap). */
  onPick: (user: User) => void;
  inputRef: RefObject<HTMLInputElement | null>;
  invalid: boolean;
  describedBy: string | undefined;
}

/**
 * A text field that suggests people as you type: the WAI-ARIA 1.2 combobox with a listbox
 * popup and list autocomplete, manual selection. The focus stays in the field; the arrows
 * move a highlight through the list (aria-activedescendant), wrapping at either end; Enter
 * picks the highlighted person, or, with none highlighted, submits the form with the text
 * typed; Escape closes the list, and a second Escape goes to the form (which closes).
 */
export const PeopleCombobox = ({
  id,
  value,
  onChange,
  onPick,
  inputRef,
  invalid,
  describedBy,
}: PeopleComboboxProps) => {
  const listboxId = useId();
  const optionId = (user: User) => `${listboxId}-${user.uuid}`;
  const search = usePeopleSearch(value);
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [activeUuid, setActiveUuid] = useState<string | null>(null);

  const { users } = search;
  const expanded = open && users.length > 0;
  const activeIndex = users.findIndex((user) => user.uuid === activeUuid);
  const active = expanded && activeIndex >= 0 ? users[activeIndex] : undefined;
  const activeId = active ? optionId(active) : undefined;
  // Shown in the popup's place when there is no one to list.
  const status =
    search.status === 'failed'
      ? 'Could not search for people. A whole handle still works.'
      : search.status === 'done' && users.length === 0
        ? 'No one found. A whole handle still works: type it and press Enter.'
        : null;
  const statusShown = open && status !== null;

  useEffect(() => {
    const found = describeFound(search);
    if (found) announce(found);
  }, [search, announce]);

  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const close = () => {
    setOpen(false);
    setActiveUuid(null);
  };

  const pick = (user: User) => {
    close();
    onPick(user);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (users.length === 0) return;
        event.preventDefault();
        if (event.altKey) {
          // Alt+Down shows the list without moving; Alt+Up hides it.
          if (event.key === 'ArrowDown') setOpen(true);
          else close();
          return;
        }
        const step = event.key === 'ArrowDown' ? 1 : -1;
        const from = expanded && activeIndex >= 0 ? activeIndex : step === 1 ? -1 : 0;
        const next = users[(from + step + users.length) % users.length];
        setOpen(true);
        setActiveUuid(next?.uuid ?? null);
        return;
      }
      case 'Enter':
        if (active) {
          event.preventDefault();
          pick(active);
        } else {
          // The form takes the text as a handle; its answer shows where the list was.
          close();
        }
        return;
      case 'Escape':
        if (expanded || statusShown) {
          // Only the list closes; the form's own Escape waits for the next press.
          event.preventDefault();
          event.stopPropagation();
          close();
        }
        return;
      case 'Home':
      case 'End':
      case 'ArrowLeft':
      case 'ArrowRight':
        // Back to the text: the caret moves as in any field.
        setActiveUuid(null);
        return;
    }
  };

  return (
    <div className="people-combobox">
      <input
        ref={inputRef}
        id={id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listboxId}
        aria-activedescendant={activeId}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActiveUuid(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
        placeholder="Name or @handle"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
      />
      <div
        id={listboxId}
        role="listbox"
        aria-label="People"
        className="people-combobox__list"
        hidden={!expanded}
        // A click keeps the focus in the field (and the list open until it picks).
        onMouseDown={(event) => event.preventDefault()}
      >
        {users.map((user) => (
          // The options are never focused: the field keeps the focus and points at the
          // highlighted one (aria-activedescendant), and the keyboard picks from there.
          // biome-ignore lint/a11y/useFocusableInteractive: see above
          // biome-ignore lint/a11y/useKeyWithClickEvents: see above
          <div
            key={user.uuid}
            id={optionId(user)}
            role="option"
            aria-selected={user.uuid === active?.uuid}
            className="people-combobox__option"
            onClick={() => pick(user)}
          >
            <Avatar displayName={user.display_name} handle={user.handle} size="small" />
            <span className="people-combobox__text">
              <span className="people-combobox__name" dir="auto">
                {user.display_name}
              </span>{' '}
              <span className="handle people-combobox__handle">@{user.handle}</span>
            </span>
          </div>
        ))}
      </div>
      {statusShown && (
        <p className="people-combobox__status" data-testid="people-status">
          {status}
        </p>
      )}
    </div>
  );
};
