import type { ProjectionStore } from './projection-store.js';

/** A read-model database opened for writing, e.g. a fresh file being rebuilt. */
export interface OpenReadModel {
  name: string;
  store: ProjectionStore;
  close(): Promise<void>;
}

/** The read-model files of this replica and the pointer naming the one in use. */
export interface ReadModelFiles {
  /** A new, empty, migrated database under a name never used before. */
  createFresh(): Promise<OpenReadModel>;
  /** Makes `name` the current read model (atomically: a reader sees the old or the new name). */
  pointTo(name: string): Promise<void>;
}
