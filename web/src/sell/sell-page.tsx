import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { SignInRequired } from '../auth/sign-in-required';
import { fieldErrorsOf, formErrorOf } from '../graphql/graphql-errors';
import { navigate } from '../routing/navigation';
import { productPath } from '../routing/routes';
import { useSession } from '../session/session-context';
import { FormError } from '../ui/form-error';
import { TextField } from '../ui/text-field';
import { useServerForm } from '../ui/use-server-form';
import { REGISTER_PRODUCT } from './sell.operations';

/** Lists an item for sale. The server validates; its typed errors appear under each field. */
export function SellPage() {
  const session = useSession();
  const [register, { loading }] = useMutation(REGISTER_PRODUCT, {
    update: (cache) => {
      cache.evict({ fieldName: 'products' });
      cache.gc();
    },
  });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const { submit, error } = useServerForm(async (form) => {
    const rawPrice = String(form.get('priceKrw')).trim();
    const priceKrw = Number(rawPrice);
    // An Int variable must be a whole number to be sent at all; every other rule is the server's.
    if (rawPrice === '' || !Number.isSafeInteger(priceKrw)) {
      setLocalErrors({ priceKrw: 'Enter the price as a whole number of won, e.g. 15000.' });
      return;
    }
    setLocalErrors({});
    const imageUrl = String(form.get('imageUrl')).trim();
    const { data } = await register({
      variables: {
        input: {
          title: String(form.get('title')),
          description: String(form.get('description')),
          priceKrw,
          imageUrl: imageUrl || null,
        },
      },
    });
    if (data) navigate(productPath(data.registerProduct.id));
  });

  if (!session) return <SignInRequired to="to sell your things" />;

  const fields = { ...fieldErrorsOf(error), ...localErrors };
  return (
    <section className="panel narrow" aria-labelledby="sell-title">
      <h1 id="sell-title">Sell an item</h1>
      <form onSubmit={submit} noValidate aria-busy={loading}>
        <TextField label="Title" name="title" hint="1 to 100 characters." error={fields.title} />
        <TextField
          label="Description"
          name="description"
          multiline
          hint="Optional, up to 2,000 characters."
          error={fields.description}
        />
        <TextField
          label="Price (KRW)"
          name="priceKrw"
          type="number"
          inputMode="numeric"
          step={1}
          hint="Whole won, from 1 to 1,000,000,000."
          error={fields.priceKrw}
        />
        <TextField
          label="Photo URL"
          name="imageUrl"
          type="url"
          hint="Optional: an http(s) link to a photo."
          error={fields.imageUrl}
        />
        <FormError message={formErrorOf(error, fields)} />
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? 'Listing…' : 'List for sale'}
        </button>
      </form>
    </section>
  );
}
