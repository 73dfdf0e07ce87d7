export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Whether `password` matches `hash`. With no hash (an unknown or withdrawn member) it spends the
   * same time on a decoy of its own making and answers false, so "no such member" and "wrong
   * password" cannot be told apart by how long they take (no account probing).
   */
  verify(password: string, hash: string | null): Promise<boolean>;
}
