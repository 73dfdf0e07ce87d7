/** A transaction held open by a test until it lets go. */
export interface HeldTransaction {
  /** Lets the transaction end and waits for it; calling it again (in a `finally`) does nothing more. */
  release(): Promise<void>;
}

/**
 * Opens a transaction with `run`, does `begin` in it (take a lock, announce a commit) and holds it
 * open until `release`: what another request or another replica's relay would be doing meanwhile.
 * Resolves once `begin` is done; rejects with its error if it failed, rather than waiting for ever.
 */
export async function holdingTransaction<Tx>(
  run: (work: (tx: Tx) => Promise<void>) => Promise<unknown>,
  begin: (tx: Tx) => unknown,
): Promise<HeldTransaction> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held: () => void = () => undefined;
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  const holder = run(async (tx) => {
    await begin(tx);
    held();
    await released;
  });
  await Promise.race([isHeld, holder]);
  return {
    release: async () => {
      release();
      await holder;
    },
  };
}
