import { useState, type FormEvent } from 'react';

/** Text search over titles and descriptions; submitting an empty box shows everything again. */
export function SearchForm({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form className="search-form" role="search" onSubmit={submit}>
      <label htmlFor="market-search">Search the market</label>
      <div className="search-form__row">
        <input
          id="market-search"
          type="search"
          value={text}
          maxLength={100}
          placeholder="e.g. bicycle"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button">
          Search
        </button>
      </div>
    </form>
  );
}
