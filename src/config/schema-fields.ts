/**
 * A source's `fields:`, offer field name to JSONata: `title` and `price` required, and no name the offer
 * model reserves, that is not an identifier, or that would reach a prototype.
 */
import * as z from 'zod';
import { RESERVED_FIELDS } from '../map/index.js';
import { FIELD_NAME } from '../shared/field-name.js';
import { isoCurrencies } from '../shared/iso-currencies.js';
import { CURRENCY_CODE, Expression } from './schema-values.js';
import { isObject } from './schema-when.js';

const FORBIDDEN_FIELDS: readonly string[] = [...RESERVED_FIELDS, '__proto__', 'constructor', 'prototype'];

/** A source's `fields:`: offer field name → JSONata evaluated per item. */
export const Fields = z
  .object({
    title: Expression.meta({ description: 'JSONata for the offer title, evaluated per item.' }),
    price: Expression.meta({ description: 'JSONata for the numeric price, e.g. `$number(price.value)`.' }),
  })
  .catchall(Expression)
  .superRefine(
    (fields, ctx) => {
      for (const name of Object.keys(fields)) {
        if ((RESERVED_FIELDS as readonly string[]).includes(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is reserved for the offer model' });
        } else if (FORBIDDEN_FIELDS.includes(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is not allowed as a field name' });
        } else if (!FIELD_NAME.test(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'must be letters, digits and _, not starting with a digit',
          });
        }
      }
      // A field is JSONata, so `currency: USD` reads a key named USD in each item: every offer came out with
      // no currency (XXX), the source's own `currency:` fallback unset beside it. Only a code ISO 4217 has:
      // `currency: CCY` is a vendor's key (a bank's or FX feed's), and was refused as a currency "CCY".
      const code = typeof fields.currency === 'string' ? CURRENCY_CODE.exec(fields.currency.trim())?.[0] : undefined;
      if (code !== undefined && isoCurrencies().has(code))
        ctx.addIssue({
          code: 'custom',
          path: ['currency'],
          message: `reads a key named ${code} in each item, not the currency: for offers in ${code}, write \`currency: ${code}\` on the source, beside \`fields\` (or "'${code}'" here)`,
        });
    },
    { when: isObject },
  )
  .meta({
    description: 'Offer field name → JSONata evaluated per item. `title` and `price` are required.',
    propertyNames: { pattern: FIELD_NAME.source, not: { enum: FORBIDDEN_FIELDS } },
  });
