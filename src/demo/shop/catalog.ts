/**
 * Made-up but plausible product data for the demo vendors. eBay's and Best Buy's listings are derived
 * from one catalog with seeded randomness, so they overlap like real marketplaces do, and the
 * same search always returns the same items and prices.
 */

/** A product in the catalog, with its list price. */
export interface Product {
  readonly id: string;
  readonly title: string;
  /** Search terms beyond the title. */
  readonly keywords: string;
  /** List price in USD. */
  readonly list: number;
}

/** New retail electronics: what eBay and Best Buy carry. */
export const PRODUCTS: readonly Product[] = [
  // Headphones
  {
    id: 'sony-wh1000xm5',
    title: 'Sony WH-1000XM5 Wireless Noise Cancelling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 399.99,
  },
  {
    id: 'sony-wh1000xm4',
    title: 'Sony WH-1000XM4 Wireless Noise Cancelling Over-Ear Headphones',
    keywords: 'bluetooth anc',
    list: 349.99,
  },
  {
    id: 'sony-whch720n',
    title: 'Sony WH-CH720N Wireless Noise Canceling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 149.99,
  },
  { id: 'sony-mdr7506', title: 'Sony MDR-7506 Professional Studio Headphones', keywords: 'wired monitor', list: 99.99 },
  {
    id: 'bose-qc-ultra',
    title: 'Bose QuietComfort Ultra Wireless Noise Cancelling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 429,
  },
  {
    id: 'bose-qc45',
    title: 'Bose QuietComfort 45 Bluetooth Wireless Headphones',
    keywords: 'over-ear anc noise cancelling',
    list: 329,
  },
  {
    id: 'airpods-max',
    title: 'Apple AirPods Max Wireless Over-Ear Headphones (USB-C), Midnight',
    keywords: 'bluetooth anc noise cancelling',
    list: 549,
  },
  {
    id: 'sennheiser-m4',
    title: 'Sennheiser Momentum 4 Wireless Headphones',
    keywords: 'over-ear bluetooth anc noise cancelling',
    list: 379.95,
  },
  {
    id: 'ath-m50x',
    title: 'Audio-Technica ATH-M50x Professional Studio Monitor Headphones',
    keywords: 'wired over-ear',
    list: 169,
  },
  {
    id: 'beats-studio-pro',
    title: 'Beats Studio Pro Wireless Noise Cancelling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 349.99,
  },
  // Earbuds
  {
    id: 'sony-wf1000xm5',
    title: 'Sony WF-1000XM5 Truly Wireless Noise Cancelling Earbuds',
    keywords: 'in-ear bluetooth anc headphones',
    list: 299.99,
  },
  {
    id: 'airpods-pro-2',
    title: 'Apple AirPods Pro 2 Wireless Earbuds with USB-C Charging Case',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 249,
  },
  {
    id: 'galaxy-buds3-pro',
    title: 'Samsung Galaxy Buds3 Pro True Wireless Earbuds',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 249.99,
  },
  {
    id: 'bose-qc-ultra-earbuds',
    title: 'Bose QuietComfort Ultra Earbuds',
    keywords: 'in-ear wireless bluetooth anc noise cancelling headphones',
    list: 299,
  },
  {
    id: 'jabra-elite-10',
    title: 'Jabra Elite 10 Gen 2 True Wireless Earbuds',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 279.99,
  },
  {
    id: 'nothing-ear-a',
    title: 'Nothing Ear (a) Wireless Earbuds, Yellow',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 99,
  },
  // Cameras
  {
    id: 'sony-a7iv',
    title: 'Sony Alpha 7 IV Full-Frame Mirrorless Interchangeable Lens Camera (Body Only)',
    keywords: 'a7 iv ilce-7m4 digital camera',
    list: 2499.99,
  },
  {
    id: 'sony-zv1-ii',
    title: 'Sony ZV-1 II Vlog Camera for Content Creators',
    keywords: 'compact digital camera',
    list: 899.99,
  },
  {
    id: 'canon-r6-ii',
    title: 'Canon EOS R6 Mark II Mirrorless Camera (Body Only)',
    keywords: 'full-frame digital camera',
    list: 2499,
  },
  {
    id: 'canon-g7x-iii',
    title: 'Canon PowerShot G7 X Mark III Digital Camera, Black',
    keywords: 'compact vlog camera',
    list: 749.99,
  },
  {
    id: 'fuji-x100vi',
    title: 'Fujifilm X100VI Digital Camera, Silver',
    keywords: 'compact fuji camera',
    list: 1599.95,
  },
  {
    id: 'nikon-z6-iii',
    title: 'Nikon Z6 III Mirrorless Camera (Body Only)',
    keywords: 'full-frame digital camera',
    list: 2499.95,
  },
  {
    id: 'gopro-hero13',
    title: 'GoPro HERO13 Black Waterproof Action Camera',
    keywords: '5.3k video camera',
    list: 399.99,
  },
  // Speakers and more
  {
    id: 'sonos-era-100',
    title: 'Sonos Era 100 Wireless Smart Speaker, Black',
    keywords: 'bluetooth wifi speaker',
    list: 249,
  },
  {
    id: 'jbl-flip-6',
    title: 'JBL Flip 6 Portable Waterproof Bluetooth Speaker',
    keywords: 'wireless speaker',
    list: 129.95,
  },
  {
    id: 'bose-soundlink-flex',
    title: 'Bose SoundLink Flex Portable Bluetooth Speaker',
    keywords: 'wireless speaker',
    list: 149,
  },
  {
    id: 'kindle-paperwhite',
    title: 'Amazon Kindle Paperwhite 16GB (2024 release)',
    keywords: 'ereader e-reader',
    list: 159.99,
  },
  {
    id: 'switch-oled',
    title: 'Nintendo Switch – OLED Model with White Joy-Con',
    keywords: 'console gaming',
    list: 349.99,
  },
  {
    id: 'mx-master-3s',
    title: 'Logitech MX Master 3S Performance Wireless Mouse',
    keywords: 'bluetooth mouse',
    list: 99.99,
  },
  { id: 'keychron-k2', title: 'Keychron K2 Wireless Mechanical Keyboard', keywords: 'bluetooth keyboard', list: 99 },
];
