import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { searchMessageOf, searchToRun } from './search-check';

/**
 * Text search over titles and descriptions; submitting an empty box (or one of spaces and
 * characters that draw nothing) shows everything again. A search
 * the server would refuse is not sent: the field says why (`refusal` says it for the search in the
 * address). The box takes any length: the rule counts as the server does (composed), which a
 * `maxLength` (UTF-16 units, as typed) would not, and text is never cut unseen.
 */
export function SearchForm({
  initial,
  refusal,
  onSearch,
}: {
  initial: string;
  refusal: string | undefined;
  onSearch: (text: string) => void;
}) {
  const { t } = useTranslation();
  const messageId = useId();
  const [text, setText] = useState(initial);
  // The last search submitted here, checked at render so the message follows the language.
  const [submitted, setSubmitted] = useState<string>();
  const message = submitted === undefined ? refusal : searchMessageOf(submitted, undefined, t);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = searchToRun(text);
    setSubmitted(next);
    if (!searchMessageOf(next, undefined, t)) onSearch(next);
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
          placeholder={t('market.searchPlaceholder')}
          enterKeyHint="search"
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? messageId : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button">
          {t('market.search')}
        </button>
      </div>
      {message && (
        <p id={messageId} className="field__error" role="alert">
          {message}
        </p>
      )}
    </form>
  );
}
