/**
 * The vocabulary of the demo catalog: categories with the goods they sell, their selling points
 * and typical prices, invented brands and descriptive words. lib/products/seed.ts combines
 * them deterministically into products with names and descriptions worth searching.
 */

/** "a|b|c" → ["a", "b", "c"]: keeps long word lists on one line each. */
function list(words: string): string[] {
  return words.split("|");
}

export interface CategorySeed {
  name: string;
  /** Goods sold in the category (the end of a product's name) as "name~typical price in yuan". */
  goods: string[];
  /** Selling points, used in descriptions. */
  features: string[];
}

/** Categories that cut across the others (a product may also belong to them). */
export const GIFT_CATEGORY = "Gift Ideas";
export const ECO_CATEGORY = "Eco-Friendly";

export const CATEGORIES: CategorySeed[] = [
  {
    name: "Smartphones",
    goods: list(
      "Smartphone~3999|Phone Case~79|Screen Protector~39|Wireless Charger~149|Power Bank~199|Phone Stand~59|USB-C Cable~39|Car Phone Mount~89",
    ),
    features: list(
      "a 120 Hz OLED display|fast 65 W charging|a triple camera with optical zoom|MagSafe-compatible magnets|drop protection tested to two metres|a 5000 mAh battery|dual SIM support|Gorilla Glass on both sides",
    ),
  },
  {
    name: "Laptops & Computers",
    goods: list(
      "Laptop~6999|Mechanical Keyboard~499|Wireless Mouse~149|Monitor~1999|Laptop Stand~199|USB Hub~159|Webcam~399|External SSD~699",
    ),
    features: list(
      "a backlit keyboard|a 14-inch 2.8K screen|a full aluminium chassis|hot-swappable switches|an ergonomic sculpted shape|Thunderbolt 4 ports|1 TB of NVMe storage|a 1080p sensor with autofocus",
    ),
  },
  {
    name: "Audio & Headphones",
    goods: list(
      "Headphones~1299|Earbuds~699|Bluetooth Speaker~499|Soundbar~1499|Turntable~1999|Microphone~599|DAC Amplifier~899|Studio Monitors~2499",
    ),
    features: list(
      "active noise cancelling|40 hours of battery life|hi-res LDAC audio|a waterproof IPX7 body|memory-foam ear cushions|multipoint Bluetooth 5.3|a built-in phono preamp|deep, punchy bass",
    ),
  },
  {
    name: "Cameras & Photo",
    goods: list(
      "Mirrorless Camera~8999|Action Camera~2499|Camera Lens~3999|Tripod~399|Camera Bag~299|Ring Light~199|Memory Card~129|Instant Camera~599",
    ),
    features: list(
      "in-body image stabilisation|4K video at 60 fps|a fast f/1.8 aperture|carbon-fibre legs|weather sealing|a flip-out selfie screen|V30 write speeds|dimmable LEDs with colour control",
    ),
  },
  {
    name: "Smart Home",
    goods: list(
      "Smart Plug~69|Robot Vacuum~2999|Video Doorbell~599|Smart Bulb~59|Security Camera~299|Smart Thermostat~899|Wi-Fi Router~599|Smart Lock~1499",
    ),
    features: list(
      "voice control with popular assistants|lidar navigation|night vision|16 million colours|local storage without subscription|energy monitoring|Wi-Fi 6 mesh coverage|fingerprint unlocking",
    ),
  },
  {
    name: "Gaming",
    goods: list(
      "Game Controller~399|Gaming Headset~599|Gaming Chair~1599|Gaming Mouse~299|Mouse Pad~99|Handheld Console~2999|Racing Wheel~2499|Capture Card~999",
    ),
    features: list(
      "hall-effect sticks that never drift|a 26,000 DPI sensor|RGB lighting|lumbar and neck pillows|a low-latency 2.4 GHz dongle|force feedback|a 7-inch touch screen|4K passthrough",
    ),
  },
  {
    name: "Wearables",
    goods: list(
      "Smartwatch~1999|Fitness Tracker~299|Smart Ring~1999|Watch Strap~99|Sports Watch~2499|Kids Smartwatch~599|Smart Glasses~2999|Heart Rate Monitor~399",
    ),
    features: list(
      "GPS and heart-rate tracking|sleep and stress monitoring|a titanium case|14 days of battery life|swim-proof to 50 metres|contactless payments|blood-oxygen sensing|quick-release pins",
    ),
  },
  {
    name: "Home Appliances",
    goods: list(
      "Air Purifier~1999|Air Fryer~499|Stick Vacuum~1999|Dehumidifier~1299|Electric Fan~299|Humidifier~299|Steam Iron~299|Water Purifier~2499",
    ),
    features: list(
      "a true HEPA filter|whisper-quiet operation|a 5.5-litre basket|cordless convenience|an app-controlled timer|an energy-saving eco mode|an auto shut-off|reverse-osmosis filtration",
    ),
  },
  {
    name: "Kitchen & Dining",
    goods: list(
      "Chef's Knife~399|Cast Iron Skillet~299|Rice Cooker~699|Coffee Grinder~499|Cutting Board~129|Wok~259|Dinner Plate Set~399|Electric Kettle~199",
    ),
    features: list(
      "forged Damascus steel|a pre-seasoned surface|fuzzy-logic cooking|40 grind settings|end-grain acacia wood|carbon steel that heats evenly|dishwasher-safe porcelain|precise temperature control",
    ),
  },
  {
    name: "Furniture",
    goods: list(
      "Office Chair~1599|Standing Desk~2999|Bookshelf~899|Sofa~5999|Coffee Table~1299|Bed Frame~2999|Dining Chair~599|TV Stand~1299",
    ),
    features: list(
      "solid walnut construction|an electric height adjustment|breathable mesh|tool-free assembly|a scratch-resistant oak veneer|velvet upholstery|a weight capacity of 150 kg|hidden cable management",
    ),
  },
  {
    name: "Home Decor",
    goods: list(
      "Desk Lamp~199|Wall Clock~159|Scented Candle~89|Vase~149|Throw Pillow~99|Picture Frame~69|Area Rug~699|Wall Mirror~399",
    ),
    features: list(
      "warm dimmable light|a silent sweep movement|a soy-wax blend with cotton wicks|hand-glazed ceramic|a linen-blend cover|real oak wood|a low-pile weave|a brushed brass frame",
    ),
  },
  {
    name: "Bedding & Bath",
    goods: list(
      "Duvet~799|Pillow~199|Bed Sheet Set~499|Bath Towel~99|Bathrobe~299|Mattress Topper~899|Shower Curtain~99|Weighted Blanket~599",
    ),
    features: list(
      "long-staple Egyptian cotton|a silk-like bamboo lyocell|hypoallergenic filling|600 GSM Turkish cotton|cooling gel memory foam|a mildew-resistant finish|breathable percale weave|evenly distributed glass beads",
    ),
  },
  {
    name: "Women's Clothing",
    goods: list(
      "Dress~399|Blouse~259|Cardigan~359|Trench Coat~1299|Jeans~299|Skirt~229|Hoodie~259|Down Jacket~1199",
    ),
    features: list(
      "a relaxed fit|mulberry silk|a soft merino wool knit|water-repellent cotton gabardine|stretch denim|a flattering A-line cut|brushed fleece inside|responsibly sourced duck down",
    ),
  },
  {
    name: "Men's Clothing",
    goods: list(
      "Oxford Shirt~259|Chinos~299|Polo Shirt~199|Wool Sweater~599|Rain Jacket~799|T-Shirt~99|Blazer~1299|Cargo Trousers~299",
    ),
    features: list(
      "a tailored fit|breathable organic cotton|a wrinkle-resistant finish|a seam-sealed waterproof shell|heavyweight combed jersey|Italian wool|reinforced pockets|a stretch waistband",
    ),
  },
  {
    name: "Shoes",
    goods: list(
      "Running Shoes~699|Sneakers~499|Hiking Boots~999|Loafers~699|Sandals~199|Slippers~79|Chelsea Boots~899|Trail Runners~799",
    ),
    features: list(
      "a responsive foam midsole|full-grain leather|a Vibram outsole|a waterproof membrane|a cushioned footbed|a breathable knit upper|a grippy rubber sole|recycled materials",
    ),
  },
  {
    name: "Bags & Luggage",
    goods: list(
      "Backpack~399|Carry-On Suitcase~999|Tote Bag~199|Duffel Bag~499|Messenger Bag~399|Wallet~199|Crossbody Bag~299|Laptop Sleeve~129",
    ),
    features: list(
      "a padded 16-inch laptop compartment|a polycarbonate hard shell|waxed canvas|a TSA-approved lock|vegetable-tanned leather|RFID blocking|spinner wheels|water-resistant recycled nylon",
    ),
  },
  {
    name: "Jewelry & Watches",
    goods: list(
      "Necklace~599|Earrings~299|Bracelet~399|Ring~499|Automatic Watch~3999|Pendant~459|Cufflinks~299|Anklet~159",
    ),
    features: list(
      "sterling silver|18K gold plating|freshwater pearls|a sapphire crystal|a Japanese automatic movement|hypoallergenic titanium|hand-polished details|an adjustable chain",
    ),
  },
  {
    name: "Beauty & Skincare",
    goods: list(
      "Face Serum~299|Moisturiser~199|Sunscreen~129|Cleanser~99|Lipstick~199|Eye Cream~259|Sheet Mask~79|Hair Dryer~899",
    ),
    features: list(
      "hyaluronic acid|vitamin C and niacinamide|SPF 50 broad-spectrum protection|a gentle amino-acid formula|a long-wearing satin finish|caffeine and peptides|soothing centella extract|ionic technology for less frizz",
    ),
  },
  {
    name: "Health & Personal Care",
    goods: list(
      "Electric Toothbrush~399|Massage Gun~599|Water Flosser~299|Digital Thermometer~99|Blood Pressure Monitor~299|Electric Shaver~599|Foot Massager~699|Bathroom Scale~149",
    ),
    features: list(
      "a two-minute smart timer|six interchangeable heads|a 300 ml water tank|a 1-second reading|clinically validated accuracy|wet and dry use|heated shiatsu rollers|body-composition analysis",
    ),
  },
  {
    name: "Sports & Outdoors",
    goods: list(
      "Yoga Mat~159|Camping Tent~899|Sleeping Bag~499|Dumbbell Set~599|Road Bike~6999|Trekking Poles~299|Insulated Water Bottle~129|Hammock~199",
    ),
    features: list(
      "non-slip natural rubber|a two-person freestanding design|a comfort rating of -5 °C|quick-adjust weight plates|a lightweight carbon frame|cork grips|double-wall vacuum insulation|parachute nylon",
    ),
  },
  {
    name: "Toys & Games",
    goods: list(
      "Building Blocks Set~499|Board Game~199|Jigsaw Puzzle~99|Remote Control Car~299|Plush Toy~99|Drone~2999|Science Kit~199|Wooden Train Set~299",
    ),
    features: list(
      "over 1,000 pieces|a game night for two to six players|1,000 precisely cut pieces|four-wheel drive|super-soft plush|a 4K camera and GPS return|20 hands-on experiments|sustainably harvested beech wood",
    ),
  },
  {
    name: "Books & Stationery",
    goods: list(
      "Notebook~49|Fountain Pen~299|Planner~89|Sketchbook~69|Desk Organiser~129|Calligraphy Set~199|Cookbook~89|Novel~49",
    ),
    features: list(
      "100 GSM fountain-pen-friendly paper|a fine steel nib|a dated weekly layout|acid-free heavyweight paper|solid bamboo compartments|traditional brushes and ink stone|150 tested recipes|a gripping story",
    ),
  },
  {
    name: "Pet Supplies",
    goods: list(
      "Dog Bed~299|Cat Tree~499|Pet Fountain~199|Dog Leash~89|Automatic Feeder~399|Cat Litter Box~299|Chew Toy~49|Pet Carrier~299",
    ),
    features: list(
      "orthopaedic memory foam|sisal scratching posts|a triple filtration system|reflective stitching|portion control by app|an odour-sealing lid|durable natural rubber|airline-approved dimensions",
    ),
  },
  {
    name: "Tea & Coffee",
    goods: list(
      "Oolong Tea~199|Green Tea~159|Espresso Beans~129|Pour-Over Kettle~299|Tea Set~599|French Press~199|Matcha Powder~159|Cold Brew Maker~199",
    ),
    features: list(
      "leaves hand-picked in the mountains of Fujian|a spring harvest from West Lake|medium-roast single-origin beans|a gooseneck spout|Yixing clay|a double-wall glass carafe|ceremonial-grade stone-ground tea|a fine mesh filter",
    ),
  },
  {
    name: GIFT_CATEGORY,
    goods: list("Gift Box~299|Gift Card Holder~99|Hamper~499"),
    features: list("gift wrapping included"),
  },
  {
    name: ECO_CATEGORY,
    goods: list("Reusable Bag~49|Compost Bin~199|Beeswax Wrap~69"),
    features: list("plastic-free packaging"),
  },
];

export const BRANDS = list(
  "Aurora|Kestrel|Lumen|Nordhaven|Peakline|Solace|Vantage|Willow & Finch|Zenith|Bamboo Lane|Copperleaf|Driftwood|Everglow|Foxglove|Granite Peak|Harbor|Ironbark|Jadewater|Koi Garden|Lotus Bay|Moonrise|Northwind|Oakmont|Pinecrest|Quartz|Riverstone|Silk Road|Tidewater|Urban Nomad|Velvet Hour|West Lake|Xingyun|Yellow Mountain|Zephyr|Blue Heron|Cedar & Co|Dragonfly|Ember|Fable|Golden Hour",
);

export const STYLES = list(
  "Classic|Compact|Deluxe|Essential|Lightweight|Minimalist|Premium|Pro|Heritage|Signature|Everyday|Ultra|Vintage|Modern|Studio|Travel|Urban|Nordic|Eco|Artisan",
);

export const COLOURS = list(
  "Black|White|Charcoal|Sand|Olive|Navy|Burgundy|Sage|Terracotta|Ivory|Slate Blue|Forest Green|Blush Pink|Walnut|Silver",
);

/** Materials whose products also belong to ECO_CATEGORY. */
export const ECO_MATERIALS = list("bamboo|recycled|organic|cork|hemp");

export const MATERIALS = list(
  "bamboo|recycled|organic|cork|hemp|walnut|oak|stainless steel|ceramic|linen|leather|aluminium|titanium|cotton|glass|wool",
);

export const USES = list(
  "Made for small apartments and busy mornings|A thoughtful gift for birthdays and the Spring Festival|Built to last through years of daily use|Designed in Hangzhou and tested by our community|Perfect for travel, the office or a weekend at home|Loved by students, creators and families alike|Easy to clean and simple to store|Backed by a two-year warranty and free returns",
);
