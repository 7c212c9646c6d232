import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { Spinner } from '../components/Spinner';
import type { OnDemandModule } from './on-demand-module';

/**
 * A screen whose code is in `module`'s chunk, fetched when it is first shown; `pick` takes the
 * component out of the module. A screen of a chunk that came already (the conversation inside
 * the messages layout) renders at once: React.lazy suspends on any promise, even a settled one,
 * and React 19 then holds the content back up to 300 ms more (its fallback throttle), before
 * the screen's own requests can even start. A thenable that answers synchronously does not
 * suspend (React reads the module in `then`'s callback).
 */
export const lazyScreen = <Module, Props extends object>(
  module: OnDemandModule<Module>,
  pick: (module: Module) => ComponentType<Props>,
): ComponentType<Props> =>
  lazy(() => {
    const loaded = module.loaded();
    if (loaded === undefined) return module.load().then((it) => ({ default: pick(it) }));
    const settled = { default: pick(loaded) };
    return {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is the point, see above
      then: (resolve: (value: typeof settled) => void) => resolve(settled),
    } as Promise<typeof settled>;
  });

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
