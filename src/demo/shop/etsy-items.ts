/** The demo's Etsy items: handmade and vintage, in the seller's currency, with Etsy's listing ids and URLs. */
import { hash } from '../random.js';
import { slug } from './slug.js';

/** Handmade and vintage items: what Etsy carries. Prices are in the seller's currency. */
export interface EtsyItem {
  readonly id: string;
  readonly title: string;
  readonly keywords: string;
  readonly price: number;
  readonly currency: string;
  readonly shop: string;
}

/** Etsy's items, its own: no other demo vendor sells them. */
export const ETSY_ITEMS: readonly EtsyItem[] = [
  {
    id: 'canon-ae1',
    title: 'Vintage Canon AE-1 Program 35mm Film Camera with 50mm f/1.8 Lens, Tested',
    keywords: 'slr analog camera',
    price: 249.99,
    currency: 'EUR',
    shop: 'BerlinFilmCameras',
  },
  {
    id: 'olympus-om1',
    title: 'Olympus OM-1 35mm SLR Film Camera, Black, Serviced 2025',
    keywords: 'vintage analog camera',
    price: 289,
    currency: 'GBP',
    shop: 'LeedsCameraWorks',
  },
  {
    id: 'polaroid-sx70',
    title: 'Polaroid SX-70 Land Camera, Refurbished, 1970s',
    keywords: 'vintage instant camera',
    price: 395,
    currency: 'USD',
    shop: 'InstantClassics',
  },
  {
    id: 'sony-mdr3',
    title: 'Vintage Sony MDR-3 Walkman Headphones, 1980s, Working',
    keywords: 'retro stereo on-ear',
    price: 64.5,
    currency: 'EUR',
    shop: 'RetroAudioNL',
  },
  {
    id: 'koss-pro4aa',
    title: 'Koss Pro-4AA Studio Headphones, 1970s, Original Box',
    keywords: 'vintage stereo',
    price: 120,
    currency: 'USD',
    shop: 'HiFiAttic',
  },
  {
    id: 'walnut-stand',
    title: 'Handmade Walnut Headphone Stand, Personalised Engraving',
    keywords: 'headphones holder wood desk gift',
    price: 45,
    currency: 'EUR',
    shop: 'HolzWerkstattMuc',
  },
  {
    id: 'oak-stand',
    title: 'Solid Oak Headphone Hanger for Desk, Under-Desk Mount',
    keywords: 'headphones holder wood',
    price: 32,
    currency: 'GBP',
    shop: 'OakAndIron',
  },
  {
    id: 'leather-strap',
    title: 'Personalized Leather Camera Strap, Hand Stitched',
    keywords: 'sony canon nikon fuji gift',
    price: 38,
    currency: 'GBP',
    shop: 'CotswoldLeather',
  },
  {
    id: 'crochet-case',
    title: 'Crochet AirPods Pro Case, Handmade Earbuds Cover',
    keywords: 'earbud pouch knitted',
    price: 14.9,
    currency: 'EUR',
    shop: 'MaschenLiebe',
  },
  {
    id: 'knit-covers',
    title: 'Knitted Headphone Covers, Wool Ear Warmers for Over-Ear Headphones',
    keywords: 'cozy winter',
    price: 22,
    currency: 'USD',
    shop: 'CozyStitchCo',
  },
  {
    id: 'lens-cap',
    title: 'Custom Engraved Lens Cap Keeper for Fujifilm X100 Cameras',
    keywords: 'fuji x100vi accessory',
    price: 18.5,
    currency: 'USD',
    shop: 'ShutterCraft',
  },
  {
    id: 'speaker-stand',
    title: 'Walnut Speaker Stand for Sonos Era 100, Pair',
    keywords: 'wood desk speakers',
    price: 89,
    currency: 'EUR',
    shop: 'HolzWerkstattMuc',
  },
];

/** Etsy listing ids: stable, 10 digits. */
export const etsyListingId = (item: EtsyItem): number => 1_000_000_000 + (hash('etsy', item.id) % 899_999_999);

/** Etsy's listing URL form. */
export const etsyUrl = (item: EtsyItem): string =>
  `https://www.etsy.com/listing/${etsyListingId(item)}/${slug(item.title).slice(0, 60)}`;
