/**
 * The data of the public federation gateway benchmark's four subgraphs (accounts, products,
 * reviews, inventory), kept in memory: six users, nine products, eleven reviews of a few hundred
 * characters each, so the answers weigh what the benchmark's do.
 */
export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  productUpc: string;
}

export const users: User[] = [
  ['1', 'Ada Lovelace', 'ada'],
  ['2', 'Alan Turing', 'alan'],
  ['3', 'Grace Hopper', 'grace'],
  ['4', 'Edsger Dijkstra', 'edsger'],
  ['5', 'Barbara Liskov', 'barbara'],
  ['6', 'Donald Knuth', 'donald'],
].map(([id, name, username]) => ({ id: id!, name: name!, username: username!, birthday: 1234567890 }));

export const products: Product[] = [
  ['1', 'Table', 899, 100],
  ['2', 'Couch', 1299, 1000],
  ['3', 'Glass', 15, 20],
  ['4', 'Chair', 499, 100],
  ['5', 'TV', 1299, 1000],
  ['6', 'Lamp', 6999, 300],
  ['7', 'Grill', 3999, 2000],
  ['8', 'Fridge', 100000, 6000],
  ['9', 'Sofa', 9999, 800],
].map(([upc, name, price, weight]) => ({
  upc: String(upc),
  name: String(name),
  price: Number(price),
  weight: Number(weight),
}));

export const inStock = new Map(
  [true, false, false, false, true, true, true, false, true].map((stock, index) => [
    String(index + 1),
    stock,
  ]),
);

const sentence =
  'A sturdy piece that arrived well packed and exactly as described by the seller, who answered every question quickly. ';
const bodyOf = (sentences: number) => sentence.repeat(sentences).trim();

export const reviews: Review[] = [
  ['1', 4, '1'],
  ['2', 3, '1'],
  ['3', 3, '1'],
  ['4', 2, '1'],
  ['5', 4, '2'],
  ['6', 3, '2'],
  ['7', 3, '2'],
  ['8', 2, '2'],
  ['9', 2, '3'],
  ['10', 2, '4'],
  ['11', 8, '4'],
].map(([id, sentences, productUpc]) => ({
  id: String(id),
  body: bodyOf(Number(sentences)),
  productUpc: String(productUpc),
}));

/** The benchmark's deep query: users and top products, their reviews, authors and products, nested. */
export const DEEP_QUERY = `
fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users {
    ...User
    reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } }
  }
  topProducts {
    ...Product
    reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } }
  }
}`;
