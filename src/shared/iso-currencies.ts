/** The ISO 4217 codes the runtime knows, read once when first needed. */
let isoCodes: ReadonlySet<string> | undefined;

/**
 * The set of ISO 4217 codes (as Intl knows them). Apart from the zod schemas that also use it, so that a
 * search's currency warnings read it without loading zod.
 */
export const isoCurrencies = (): ReadonlySet<string> => {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes;
};
