import { useEffect } from 'react';

const APP_NAME = 'Cruddur Messaging';

/** The tab's title while the calling screen is shown: "<title> · Cruddur Messaging". */
export const useDocumentTitle = (title: string | null): void => {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
};
