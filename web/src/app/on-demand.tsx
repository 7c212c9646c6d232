import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { Spinner } from '../components/Spinner';

/**
 * A screen whose code is a chunk of its own, fetched when it is first shown: `load` imports
 * the module and picks the component (React.lazy wants a default export).
 */
export const lazyScreen = <Props extends object>(
  load: () => Promise<ComponentType<Props>>,
): ComponentType<Props> => lazy(async () => ({ default: await load() }));

/**
 * `screen` behind a loading state that screen readers announce while its chunk comes. A whole
 * screen's stand-in is a `<main>`, as the screen itself is, so every landmark rule still holds.
 */
export const onDemand = (screen: ReactNode, label: string, { landmark = false } = {}) => (
  <Suspense
    fallback={
      landmark ? (
        <main className="loading-screen">
          <Spinner label={label} />
        </main>
      ) : (
        <Spinner label={label} />
      )
    }
  >
    {screen}
  </Suspense>
);
