import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';

type Announce = (text: string) => void;

const AnnouncerContext = createContext<Announce>(() => undefined);

/**
 * One polite live region for the whole app: screen readers read what is put in it (arriving
 * messages) without moving the user's focus. It is always in the page, as live regions
 * must exist before their content changes to be announced.
 */
export const AnnouncerProvider = ({ children }: { children: ReactNode }) => {
  const [announcement, setAnnouncement] = useState({ text: '', id: 0 });
  // A new id re-renders the text even when it repeats, so the same words are read again.
  const announce = useCallback<Announce>((text) => {
    setAnnouncement((previous) => ({ text, id: previous.id + 1 }));
  }, []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div
        className="visually-hidden"
        aria-live="polite"
        aria-atomic="true"
        data-testid="announcer"
      >
        <span key={announcement.id}>{announcement.text}</span>
      </div>
    </AnnouncerContext.Provider>
  );
};

export const useAnnounce = (): Announce => useContext(AnnouncerContext);
