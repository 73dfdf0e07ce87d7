import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** Text search over titles and descriptions; submitting an empty box shows everything again. */
export function SearchForm({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form className="search-form" role="search" onSubmit={submit}>
      <label htmlFor="market-search" className="visually-hidden">
        {t('market.searchLabel')}
      </label>
      <div className="search-form__row">
        <input
          id="market-search"
          type="search"
          value={text}
          maxLength={100}
          placeholder={t('market.searchPlaceholder')}
          enterKeyHint="search"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button">
          {t('market.search')}
        </button>
      </div>
    </form>
  );
}
