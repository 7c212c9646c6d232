/** A chunk fetched when first needed, and kept once it came: `load` imports it. */
export interface OnDemandModule<Module> {
  load(): Promise<Module>;
  /** The module, once `load` has resolved. */
  loaded(): Module | undefined;
}

// Apart from on-demand.tsx, which needs React: a script that must start before React has come
// (boot.ts) can start a chunk with it.
export const onDemandModule = <Module>(load: () => Promise<Module>): OnDemandModule<Module> => {
  let loading: Promise<Module> | undefined;
  let module: Module | undefined;
  return {
    load: () => {
      loading ??= load().then(
        (loaded) => {
          module = loaded;
          return loaded;
        },
        (error: unknown) => {
          loading = undefined; // a failed fetch may be tried again
          throw error;
        },
      );
      return loading;
    },
    loaded: () => module,
  };
};
