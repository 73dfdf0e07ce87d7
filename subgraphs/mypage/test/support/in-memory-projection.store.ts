import type { ProjectionStore, ProjectionTx } from '../../src/application/ports/projection-store.js';
import type { ProjectionChange } from '../../src/domain/my-page.projection.js';
import type { MemberRow, ProductRow, PurchaseRow, StatusEntry } from '../../src/domain/my-page.rows.js';

interface State {
  checkpoint: number;
  applied: Map<string, number>;
  members: Map<string, MemberRow>;
  products: Map<string, ProductRow>;
  purchases: Map<string, PurchaseRow>;
  history: StatusEntry[];
}

const copy = (s: State): State => ({
  checkpoint: s.checkpoint,
  applied: new Map(s.applied),
  members: new Map(s.members),
  products: new Map(s.products),
  purchases: new Map(s.purchases),
  history: [...s.history],
});

/** The projection store in memory, with all-or-nothing transactions (work on a copy, then swap). */
export class InMemoryProjectionStore implements ProjectionStore {
  state: State = {
    checkpoint: 0,
    applied: new Map(),
    members: new Map(),
    products: new Map(),
    purchases: new Map(),
    history: [],
  };

  async transaction<T>(work: (tx: ProjectionTx) => Promise<T>): Promise<T> {
    const draft = copy(this.state);
    const result = await work(new InMemoryTx(draft));
    this.state = draft;
    return result;
  }

  async lastAppliedSeq(): Promise<number> {
    return this.state.checkpoint;
  }

  historyOf(purchaseId: string) {
    return this.state.history
      .filter((e) => e.purchaseId === purchaseId)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.status);
  }
}

class InMemoryTx implements ProjectionTx {
  constructor(private readonly s: State) {}
  async lastAppliedSeq() {
    return this.s.checkpoint;
  }
  async setLastAppliedSeq(seq: number) {
    this.s.checkpoint = seq;
  }
  async markApplied(eventId: string, seq: number) {
    if (this.s.applied.has(eventId)) return false;
    this.s.applied.set(eventId, seq);
    return true;
  }
  async findMember(id: string) {
    return this.s.members.get(id);
  }
  async findProduct(id: string) {
    return this.s.products.get(id);
  }
  async findPurchase(id: string) {
    return this.s.purchases.get(id);
  }
  async apply(change: ProjectionChange) {
    switch (change.kind) {
      case 'member':
        this.s.members.set(change.row.id, change.row);
        return;
      case 'product':
        this.s.products.set(change.row.id, change.row);
        return;
      case 'purchase':
        this.s.purchases.set(change.row.id, change.row);
        return;
      case 'history':
        if (this.s.history.some((e) => e.eventId === change.entry.eventId))
          throw new Error('duplicate history entry');
        this.s.history.push(change.entry);
        return;
      case 'product-title':
        for (const [id, p] of this.s.purchases)
          if (p.productId === change.productId && p.productTitle === '')
            this.s.purchases.set(id, { ...p, productTitle: change.title });
        return;
    }
  }
}
