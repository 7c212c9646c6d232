import {
  type FocusEvent,
  type KeyboardEvent,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';

export interface MessageMenuItem {
  label: string;
  onSelect: () => void;
}

interface MessageMenuProps {
  /** Read when the menu opens: what can be done with the message right now. */
  items: () => MessageMenuItem[];
  /** The menu button, so that whoever closes something opened from it can focus it again. */
  buttonRef: RefObject<HTMLButtonElement | null>;
  /** Names the button and the menu: "Message options" unless told. */
  label?: string;
  /** Added to the wrapper's class, for a menu styled where it is (the conversation header). */
  className?: string;
}

/**
 * "Message options": a WAI-ARIA menu button. Enter, Space and ArrowDown open it on the first
 * item (ArrowUp on the last); arrows, Home and End move; Escape closes it and focuses the
 * button again; Tab or a click elsewhere closes it.
 */
const itemsIn = (menu: HTMLElement | null): HTMLElement[] =>
  Array.from(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

export const MessageMenu = ({
  items,
  buttonRef,
  label = 'Message options',
  className,
}: MessageMenuProps) => {
  const menuId = useId();
  const [open, setOpen] = useState<MessageMenuItem[] | null>(null);
  const [initial, setInitial] = useState<'first' | 'last'>('first');
  const menu = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const menuItems = (): HTMLElement[] => itemsIn(menu.current);

  useEffect(() => {
    if (!open) return;
    const all = itemsIn(menu.current);
    (initial === 'first' ? all[0] : all[all.length - 1])?.focus();
  }, [open, initial]);

  const show = (at: 'first' | 'last') => {
    setInitial(at);
    setOpen(items());
  };
  const close = (refocus: boolean) => {
    setOpen(null);
    if (refocus) buttonRef.current?.focus();
  };

  // The focus left the button and the menu (a click elsewhere): the menu closes.
  const onBlur = (event: FocusEvent) => {
    if (open && !wrapper.current?.contains(event.relatedTarget as Node | null)) close(false);
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = menuItems();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const focusAt = (next: number) => all[(next + all.length) % all.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(all.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return; // the focus moves on as usual
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className={className ? `message-menu ${className}` : 'message-menu'} ref={wrapper}>
      <button
        ref={buttonRef}
        type="button"
        className="message-menu__button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(true) : show('first'))}
        onKeyDown={onButtonKeyDown}
        onBlur={onBlur}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={label}
          className="message-menu__list"
          onKeyDown={onMenuKeyDown}
          onBlur={onBlur}
        >
          {open.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="message-menu__item"
              onClick={() => {
                setOpen(null);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
};
