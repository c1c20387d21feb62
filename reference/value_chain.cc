#include "reference/value_chain.h"

#include <iterator>

namespace socio::reference {
namespace {

constexpr ChainRole kTrade = ChainRole::kTrade;
constexpr ChainRole kService = ChainRole::kService;

// Each row's comment gives the reasoning; the quotations are the titles and
// explanatory notes of NACE Rev. 2. Rows for a division hold for all of it;
// narrower rows pair a group or class with the trade specialised in its goods.
constexpr ValueChainLink kLinks[] = {
    // 10 Food products.
    // 46.17 "agents involved in the sale of food, beverages and tobacco".
    {"10", "46.17", kTrade, "agents for food"},
    // 46.39 "non-specialised wholesale of food, beverages and tobacco": the
    // food wholesaler stocking every kind of food product.
    {"10", "46.39", kTrade, "wholesale of food"},
    // 10.1 meat: bought live as animals (46.23), sold through 46.32
    // "wholesale of meat and meat products" and 47.22 butchers.
    {"10.1", "46.23", kTrade, "wholesale of live animals"},
    {"10.1", "46.32", kTrade, "wholesale of meat"},
    {"10.1", "47.22", kTrade, "retail sale of meat"},
    // 10.2 fish: 46.38 "wholesale of other food, including fish, crustaceans
    // and molluscs"; 47.23 "retail sale of fish".
    {"10.2", "46.38", kTrade, "wholesale of fish and other food"},
    {"10.2", "47.23", kTrade, "retail sale of fish"},
    // 10.3 processed fruit and vegetables: 46.31 "wholesale of fruit and
    // vegetables" includes processed ones.
    {"10.3", "46.31", kTrade, "wholesale of fruit and vegetables"},
    // 10.4 oils and fats; 10.5 dairy: 46.33 "wholesale of dairy products,
    // eggs and edible oils and fats".
    {"10.4", "46.33", kTrade, "wholesale of edible oils and fats"},
    {"10.5", "46.33", kTrade, "wholesale of dairy products"},
    // 10.6 grain mill products and 10.7 bakery and farinaceous products:
    // 46.38 "wholesale of other food" (flour, pasta, bakery goods); 47.24
    // "retail sale of bread, cakes, flour confectionery".
    {"10.6", "46.38", kTrade, "wholesale of other food"},
    {"10.7", "46.38", kTrade, "wholesale of other food"},
    {"10.7", "47.24", kTrade, "retail sale of bread and cakes"},
    // 10.81 sugar, 10.82 cocoa, chocolate and confectionery: 46.36
    // "wholesale of sugar and chocolate and sugar confectionery".
    {"10.81", "46.36", kTrade, "wholesale of sugar and confectionery"},
    {"10.82", "46.36", kTrade, "wholesale of sugar and confectionery"},
    // 10.83 tea and coffee, 10.84 condiments and seasonings: 46.37
    // "wholesale of coffee, tea, cocoa and spices".
    {"10.83", "46.37", kTrade, "wholesale of coffee, tea and spices"},
    {"10.84", "46.37", kTrade, "wholesale of coffee, tea and spices"},
    // 10.8 other food products (prepared meals, soups, dietetic food): 46.38
    // "wholesale of other food".
    {"10.8", "46.38", kTrade, "wholesale of other food"},
    // 10.9 prepared animal feeds: 46.21 "wholesale of grain, unmanufactured
    // tobacco, seeds and animal feeds".
    {"10.9", "46.21", kTrade, "wholesale of animal feeds"},
    // 11 Beverages: 46.34 "wholesale of beverages", 46.17 agents for food,
    // beverages and tobacco, 47.25 "retail sale of beverages".
    {"11", "46.17", kTrade, "agents for beverages"},
    {"11", "46.34", kTrade, "wholesale of beverages"},
    {"11", "46.39", kTrade, "wholesale of food and beverages"},
    {"11", "47.25", kTrade, "retail sale of beverages"},
    // 12 Tobacco products: 46.35 "wholesale of tobacco products", 46.17,
    // 47.26 "retail sale of tobacco products".
    {"12", "46.17", kTrade, "agents for tobacco"},
    {"12", "46.35", kTrade, "wholesale of tobacco products"},
    {"12", "47.26", kTrade, "retail sale of tobacco products"},
    // 13 Textiles: 46.41 "wholesale of textiles" (yarn, fabrics, household
    // linen, haberdashery), 46.16 "agents involved in the sale of textiles,
    // clothing, fur, footwear and leather goods", 47.51 "retail sale of
    // textiles".
    {"13", "46.16", kTrade, "agents for textiles"},
    {"13", "46.41", kTrade, "wholesale of textiles"},
    {"13", "47.51", kTrade, "retail sale of textiles"},
    // 13.1 preparation and spinning of textile fibres: 46.11 agents for
    // "textile raw materials and semi-finished goods"; 46.76 "wholesale of
    // other intermediate products" includes textile fibres.
    {"13.1", "46.11", kTrade, "agents for textile raw materials"},
    {"13.1", "46.76", kTrade, "wholesale of textile fibres"},
    // 13.93 carpets and rugs: 46.47 "wholesale of furniture, carpets and
    // lighting equipment"; 47.53 "retail sale of carpets, rugs, wall and
    // floor coverings".
    {"13.93", "46.47", kTrade, "wholesale of carpets"},
    {"13.93", "47.53", kTrade, "retail sale of carpets"},
    // 14 Wearing apparel: 46.42 "wholesale of clothing and footwear", 46.16,
    // 47.71 "retail sale of clothing".
    {"14", "46.16", kTrade, "agents for clothing"},
    {"14", "46.42", kTrade, "wholesale of clothing"},
    {"14", "47.71", kTrade, "retail sale of clothing"},
    // 15 Leather and related products: 46.16 agents for "footwear and leather
    // goods"; 47.72 "retail sale of footwear and leather goods".
    {"15", "46.16", kTrade, "agents for footwear and leather goods"},
    {"15", "47.72", kTrade, "retail sale of footwear and leather goods"},
    // 15.11 tanning and dressing of leather: 46.24 "wholesale of hides, skins
    // and leather".
    {"15.11", "46.24", kTrade, "wholesale of hides and leather"},
    // 15.12 luggage and handbags: 46.49 "wholesale of other household goods"
    // includes leather goods and travel accessories.
    {"15.12", "46.49", kTrade, "wholesale of leather goods"},
    // 15.2 footwear: 46.42 "wholesale of clothing and footwear"; 95.23
    // "repair of footwear and leather goods".
    {"15.2", "46.42", kTrade, "wholesale of footwear"},
    {"15", "95.23", kService, "repair of footwear and leather goods"},
    // 16 Wood and wood products: 46.73 "wholesale of wood, construction
    // materials and sanitary equipment"; 46.13 "agents involved in the sale of
    // timber and building materials".
    {"16", "46.13", kTrade, "agents for timber"},
    {"16", "46.73", kTrade, "wholesale of wood"},
    // 17 Paper: 46.76 "wholesale of other intermediate products" includes
    // paper in bulk; 17.2 articles of paper (stationery, household paper):
    // 46.49 "wholesale of other household goods" includes stationery, 47.62
    // "retail sale of newspapers and stationery".
    {"17", "46.76", kTrade, "wholesale of paper in bulk"},
    {"17.2", "46.49", kTrade, "wholesale of stationery"},
    {"17.2", "47.62", kTrade, "retail sale of stationery"},
    // 18.1 printing: 46.49 includes books, magazines and newspapers; 47.61
    // "retail sale of books". 18.2 reproduction of recorded media: 46.43
    // includes recorded audio and video tapes, CDs and DVDs; 47.63.
    {"18.1", "46.49", kTrade, "wholesale of books and magazines"},
    {"18.1", "47.61", kTrade, "retail sale of books"},
    {"18.2", "46.43", kTrade, "wholesale of recorded media"},
    {"18.2", "47.63", kTrade, "retail sale of music and video recordings"},
    // 19 Coke and refined petroleum products: 46.71 "wholesale of solid,
    // liquid and gaseous fuels and related products", 46.12 "agents involved
    // in the sale of fuels, ores, metals and industrial chemicals", 47.30
    // "retail sale of automotive fuel".
    {"19", "46.12", kTrade, "agents for fuels"},
    {"19", "46.71", kTrade, "wholesale of fuels"},
    {"19", "47.30", kTrade, "retail sale of automotive fuel"},
    // 20 Chemicals: 46.75 "wholesale of chemical products" (industrial
    // chemicals, fertilisers and agrochemicals), 46.12 agents for "industrial
    // chemicals".
    {"20", "46.12", kTrade, "agents for industrial chemicals"},
    {"20", "46.75", kTrade, "wholesale of chemical products"},
    // 20.16 plastics and 20.17 synthetic rubber in primary forms: 46.76
    // includes "plastic materials in primary forms" and rubber.
    {"20.16", "46.76", kTrade, "wholesale of plastics in primary forms"},
    {"20.17", "46.76", kTrade, "wholesale of rubber"},
    // 20.3 paints and varnishes: 46.73 includes paint and varnish.
    {"20.3", "46.73", kTrade, "wholesale of paints"},
    // 20.41 soap and detergents: 46.44 "wholesale of china and glassware and
    // cleaning materials". 20.42 perfumes and toilet preparations: 46.45
    // "wholesale of perfume and cosmetics", 47.75.
    {"20.41", "46.44", kTrade, "wholesale of cleaning materials"},
    {"20.42", "46.45", kTrade, "wholesale of perfume and cosmetics"},
    {"20.42", "47.75", kTrade, "retail sale of cosmetics"},
    // 21 Pharmaceuticals: 46.46 "wholesale of pharmaceutical goods", 47.73
    // "dispensing chemist".
    {"21", "46.46", kTrade, "wholesale of pharmaceutical goods"},
    {"21", "47.73", kTrade, "dispensing chemists"},
    // 22 Rubber and plastic products: 46.76 "wholesale of other intermediate
    // products"; 22.11 tyres: 45.31 "wholesale trade of motor vehicle parts
    // and accessories"; 22.23 builders' ware of plastic: 46.73.
    {"22", "46.76", kTrade, "wholesale of rubber and plastic products"},
    {"22.11", "45.31", kTrade, "wholesale of tyres and vehicle parts"},
    {"22.23", "46.73", kTrade, "wholesale of construction materials"},
    // 23 Other non-metallic minerals: 23.1 glass and 23.41 ceramic household
    // articles: 46.44 "wholesale of china and glassware"; 23.3 clay building
    // materials, 23.42 sanitary ceramics, 23.5 cement, 23.6 concrete, 23.7
    // stone: 46.73 "wholesale of wood, construction materials and sanitary
    // equipment" and 46.13 agents for "building materials".
    {"23.1", "46.44", kTrade, "wholesale of glassware"},
    {"23.41", "46.44", kTrade, "wholesale of china"},
    {"23.3", "46.73", kTrade, "wholesale of construction materials"},
    {"23.42", "46.73", kTrade, "wholesale of sanitary equipment"},
    {"23.5", "46.73", kTrade, "wholesale of construction materials"},
    {"23.6", "46.73", kTrade, "wholesale of construction materials"},
    {"23.7", "46.73", kTrade, "wholesale of construction materials"},
    {"23", "46.13", kTrade, "agents for building materials"},
    // 24 Basic metals: 46.72 "wholesale of metals and metal ores"; 46.12
    // agents for "ores, metals".
    {"24", "46.12", kTrade, "agents for metals"},
    {"24", "46.72", kTrade, "wholesale of metals"},
    // 25 Fabricated metal products: 25.2 radiators and central heating
    // boilers, 25.7 cutlery, tools and general hardware, 25.9 wire products,
    // fasteners and other metal goods: 46.74 "wholesale of hardware, plumbing
    // and heating equipment and supplies", 46.15 agents for "hardware and
    // ironmongery", 47.52 "retail sale of hardware"; 33.11 "repair of
    // fabricated metal products".
    {"25.2", "46.74", kTrade, "wholesale of heating equipment"},
    {"25.7", "46.74", kTrade, "wholesale of hardware"},
    {"25.9", "46.74", kTrade, "wholesale of hardware"},
    {"25.7", "46.15", kTrade, "agents for hardware"},
    {"25.7", "47.52", kTrade, "retail sale of hardware"},
    {"25.1", "46.73", kTrade, "wholesale of construction materials"},
    {"25", "33.11", kService, "repair of fabricated metal products"},
    // 26 Computer, electronic and optical products: 26.1 components and 26.3
    // communication equipment: 46.52 "wholesale of electronic and
    // telecommunications equipment and parts"; 26.2 computers: 46.51
    // "wholesale of computers, computer peripheral equipment and software",
    // 47.41, 95.11; 26.3 also 47.42, 95.12; 26.4 consumer electronics and 26.7
    // optical and photographic equipment: 46.43 "wholesale of electrical
    // household appliances" (radio and television, photographic and optical
    // goods), 47.43, 95.21; 26.51 measuring instruments: 46.69; 26.52
    // watches: 46.48 "wholesale of watches and jewellery", 95.25; 26.6
    // electromedical equipment: 46.46 includes medical instruments; 33.13
    // "repair of electronic and optical equipment".
    {"26.1", "46.52", kTrade, "wholesale of electronic components"},
    {"26.2", "46.51", kTrade, "wholesale of computers"},
    {"26.2", "47.41", kTrade, "retail sale of computers"},
    {"26.2", "95.11", kService, "repair of computers"},
    {"26.3", "46.52", kTrade, "wholesale of telecommunications equipment"},
    {"26.3", "47.42", kTrade, "retail sale of telecommunications equipment"},
    {"26.3", "95.12", kService, "repair of communication equipment"},
    {"26.4", "46.43", kTrade, "wholesale of consumer electronics"},
    {"26.4", "47.43", kTrade, "retail sale of audio and video equipment"},
    {"26.4", "95.21", kService, "repair of consumer electronics"},
    {"26.51", "46.69", kTrade, "wholesale of measuring instruments"},
    {"26.52", "46.48", kTrade, "wholesale of watches"},
    {"26.52", "95.25", kService, "repair of watches"},
    {"26.6", "46.46", kTrade, "wholesale of medical equipment"},
    {"26.7", "46.43", kTrade, "wholesale of optical and photographic goods"},
    {"26", "33.13", kService, "repair of electronic and optical equipment"},
    // 27 Electrical equipment: 27.1 motors and transformers, 27.2 batteries,
    // 27.3 wiring: 46.69 "wholesale of other machinery and equipment"
    // (electrical motors, transformers, wire and switches for industrial
    // use); 46.14 agents for "industrial equipment"; 27.4 lighting: 46.47
    // "wholesale of furniture, carpets and lighting equipment"; 27.5 domestic
    // appliances: 46.43 "wholesale of electrical household appliances",
    // 47.54, 95.22; 33.14 "repair of electrical equipment".
    {"27", "46.14", kTrade, "agents for industrial equipment"},
    {"27.1", "46.69", kTrade, "wholesale of electrical equipment"},
    {"27.2", "46.69", kTrade, "wholesale of electrical equipment"},
    {"27.3", "46.69", kTrade, "wholesale of electrical equipment"},
    {"27.4", "46.47", kTrade, "wholesale of lighting equipment"},
    {"27.5", "46.43", kTrade, "wholesale of household appliances"},
    {"27.5", "47.54", kTrade, "retail sale of household appliances"},
    {"27.5", "95.22", kService, "repair of household appliances"},
    {"27", "33.14", kService, "repair of electrical equipment"},
    // 28 Machinery and equipment n.e.c.: 46.6 "wholesale of other machinery,
    // equipment and supplies" (46.69 for machinery not elsewhere named) and
    // the classes for particular machines: 28.23 office machinery: 46.66;
    // 28.3 agricultural machinery: 46.61; 28.4 machine tools: 46.62; 28.92
    // mining, quarrying and construction machinery: 46.63; 28.94 textile
    // machinery: 46.64; 28.25 cooling and ventilation, 28.14 taps and valves:
    // 46.74 heating equipment and plumbing supplies. 46.14 "agents involved
    // in the sale of machinery, industrial equipment"; 33.12 "repair of
    // machinery"; 33.20 "installation of industrial machinery and equipment".
    {"28", "46.14", kTrade, "agents for machinery"},
    {"28", "46.69", kTrade, "wholesale of machinery"},
    {"28.23", "46.66", kTrade, "wholesale of office machinery"},
    {"28.3", "46.61", kTrade, "wholesale of agricultural machinery"},
    {"28.4", "46.62", kTrade, "wholesale of machine tools"},
    {"28.92", "46.63", kTrade, "wholesale of construction machinery"},
    {"28.94", "46.64", kTrade, "wholesale of textile machinery"},
    {"28.14", "46.74", kTrade, "wholesale of plumbing supplies"},
    {"28.25", "46.74", kTrade, "wholesale of heating and cooling equipment"},
    {"28", "33.12", kService, "repair of machinery"},
    {"28", "33.20", kService, "installation of machinery"},
    // 29 Motor vehicles: 45.1 "sale of motor vehicles", 45.3 "sale of motor
    // vehicle parts and accessories" (29.3 parts), 45.20 "maintenance and
    // repair of motor vehicles".
    {"29", "45.1", kTrade, "sale of motor vehicles"},
    {"29.3", "45.3", kTrade, "sale of vehicle parts"},
    {"29", "45.20", kService, "repair of motor vehicles"},
    // 30 Other transport equipment: 30.1 ships and 30.3 aircraft: 46.14
    // agents for "ships and aircraft", 33.15 and 33.16 their repair; 30.2
    // railway equipment: 46.69, 33.17; 30.91 motorcycles: 45.4 "sale,
    // maintenance and repair of motorcycles"; 30.92 bicycles: 46.49 includes
    // bicycles, 47.64 "retail sale of sporting equipment".
    {"30.1", "46.14", kTrade, "agents for ships"},
    {"30.1", "33.15", kService, "repair of ships and boats"},
    {"30.3", "46.14", kTrade, "agents for aircraft"},
    {"30.3", "33.16", kService, "repair of aircraft"},
    {"30.2", "46.69", kTrade, "wholesale of railway equipment"},
    {"30.2", "33.17", kService, "repair of railway equipment"},
    {"30.91", "45.4", kTrade, "sale of motorcycles"},
    {"30.92", "46.49", kTrade, "wholesale of bicycles"},
    {"30.92", "47.64", kTrade, "retail sale of bicycles and sporting goods"},
    // 31 Furniture: 46.47 "wholesale of furniture, carpets and lighting
    // equipment", 46.15 "agents involved in the sale of furniture, household
    // goods, hardware", 47.59 "retail sale of furniture, lighting equipment",
    // 95.24 "repair of furniture and home furnishings"; 31.01 office and shop
    // furniture: 46.65 "wholesale of office furniture".
    {"31", "46.15", kTrade, "agents for furniture"},
    {"31", "46.47", kTrade, "wholesale of furniture"},
    {"31", "47.59", kTrade, "retail sale of furniture"},
    {"31", "95.24", kService, "repair of furniture"},
    {"31.01", "46.65", kTrade, "wholesale of office furniture"},
    // 32 Other manufacturing: 32.1 jewellery: 46.48 "wholesale of watches and
    // jewellery", 47.77, 95.25; 32.2 musical instruments, 32.3 sports goods,
    // 32.4 games and toys: 46.49 "wholesale of other household goods"
    // (musical instruments, sports goods, games and toys), 47.59 (musical
    // instruments), 47.64, 47.65; 32.5 medical and dental instruments: 46.46
    // includes "medical and surgical instruments", 47.74 "retail sale of
    // medical and orthopaedic goods"; 46.18 agents for particular products.
    {"32.1", "46.48", kTrade, "wholesale of jewellery"},
    {"32.1", "47.77", kTrade, "retail sale of jewellery"},
    {"32.1", "95.25", kService, "repair of jewellery"},
    {"32.2", "46.49", kTrade, "wholesale of musical instruments"},
    {"32.2", "47.59", kTrade, "retail sale of musical instruments"},
    {"32.3", "46.49", kTrade, "wholesale of sports goods"},
    {"32.3", "47.64", kTrade, "retail sale of sporting equipment"},
    {"32.4", "46.49", kTrade, "wholesale of games and toys"},
    {"32.4", "47.65", kTrade, "retail sale of games and toys"},
    {"32.5", "46.46", kTrade, "wholesale of medical instruments"},
    {"32.5", "47.74", kTrade, "retail sale of medical goods"},
    {"32", "46.18", kTrade, "agents for particular products"},
    // 33 Repair and installation: installers and repairers of machinery buy
    // machines and parts through the machinery trade, 46.69 and 46.14.
    {"33", "46.14", kTrade, "agents for machinery"},
    {"33", "46.69", kTrade, "wholesale of machinery"},
};

}  // namespace

absl::Span<const ValueChainLink> ValueChainLinks() {
  return absl::MakeConstSpan(kLinks, std::size(kLinks));
}

}  // namespace socio::reference
