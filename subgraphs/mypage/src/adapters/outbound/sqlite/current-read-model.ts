import type { MyPageQueries, PageRequest } from '../../../application/ports/my-page-queries.js';
import type { ProjectionStore, ProjectionTx } from '../../../application/ports/projection-store.js';
import type { MyPageDatabase } from './sqlite-database.js';
import { SqliteMyPageQueries } from './sqlite-my-page.queries.js';
import { SqliteProjectionStore } from './sqlite-projection.store.js';

interface Active {
  name: string;
  db: MyPageDatabase;
  store: SqliteProjectionStore;
  queries: SqliteMyPageQueries;
}

/**
 * The read model this replica serves right now. A rebuild swaps in another file; queries and the
 * consumer always go through here, so they follow the switch without being rewired.
 */
export class CurrentReadModel implements MyPageQueries, ProjectionStore {
  private active: Active;

  constructor(name: string, db: MyPageDatabase) {
    this.active = CurrentReadModel.wrap(name, db);
  }

  private static wrap(name: string, db: MyPageDatabase): Active {
    return {
      name,
      db,
      store: new SqliteProjectionStore(db.writer),
      queries: new SqliteMyPageQueries(db.reader),
    };
  }

  get name(): string {
    return this.active.name;
  }

  get database(): MyPageDatabase {
    return this.active.db;
  }

  /** Serves `db` from now on; returns the database that was served before (the caller closes it). */
  swap(name: string, db: MyPageDatabase): MyPageDatabase {
    const previous = this.active.db;
    this.active = CurrentReadModel.wrap(name, db);
    return previous;
  }

  transaction<T>(work: (tx: ProjectionTx) => Promise<T>): Promise<T> {
    return this.active.store.transaction(work);
  }
  lastAppliedSeq(): Promise<number> {
    return this.active.queries.lastAppliedSeq();
  }
  nicknameOf(memberId: string) {
    return this.active.queries.nicknameOf(memberId);
  }
  productsOf(sellerId: string, page: PageRequest) {
    return this.active.queries.productsOf(sellerId, page);
  }
  purchasesOf(buyerId: string, page: PageRequest) {
    return this.active.queries.purchasesOf(buyerId, page);
  }
  salesOf(sellerId: string, page: PageRequest) {
    return this.active.queries.salesOf(sellerId, page);
  }
}
