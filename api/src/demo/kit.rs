//! What each of Aurora's main equipment items is made of and the spares carried for it, as a
//! real yacht's would be: an engine has a turbocharger and injectors, a watermaker an HP pump
//! and membranes. Part numbers are plausible inventions in each maker's style, not real ones.

/// A component inside a main item: code suffix (upper-case letters/digits, ≤ 6 chars) and name.
pub type Component = (&'static str, &'static str);

/// A spare carried for a main item: what it is, the maker's part number, unit, minimum and reorder quantities.
pub type Spare = (&'static str, &'static str, &'static str, u32, u32);

/// The components and spares of the main item with this code; twins (port and starboard, 1 and 2)
/// share one kit, as they share a maker and model.
pub fn kit(code: &str) -> (&'static [Component], &'static [Spare]) {
    match code {
        "ME-P" | "ME-S" => (ENGINE_COMPONENTS, ENGINE_SPARES),
        "GB-P" | "GB-S" => (GEARBOX_COMPONENTS, GEARBOX_SPARES),
        "DG-1" | "DG-2" => (GENERATOR_COMPONENTS, GENERATOR_SPARES),
        "DG-3" => (EMERGENCY_GENERATOR_COMPONENTS, EMERGENCY_GENERATOR_SPARES),
        "STAB-P" | "STAB-S" => (FIN_COMPONENTS, FIN_SPARES),
        "HPU-1" => (HPU_COMPONENTS, HPU_SPARES),
        "WM-1" | "WM-2" => (WATERMAKER_COMPONENTS, WATERMAKER_SPARES),
        "CH-1" | "CH-2" => (CHILLER_COMPONENTS, CHILLER_SPARES),
        "AHU-1" => (AIR_HANDLER_COMPONENTS, AIR_HANDLER_SPARES),
        "FP-1" | "FP-2" => (FIRE_PUMP_COMPONENTS, FIRE_PUMP_SPARES),
        "FS-1" => (SEPARATOR_COMPONENTS, SEPARATOR_SPARES),
        "STP-1" => (SEWAGE_COMPONENTS, SEWAGE_SPARES),
        "WL-1" => (WINDLASS_COMPONENTS, WINDLASS_SPARES),
        "CR-1" => (CRANE_COMPONENTS, CRANE_SPARES),
        "TND-1" => (OUTBOARD_COMPONENTS, OUTBOARD_SPARES),
        _ => (&[], &[]),
    }
}

/// MTU 16V 2000 M96L main engines.
const ENGINE_COMPONENTS: &[Component] = &[
    ("TC", "turbocharger"),
    ("RWP", "raw-water pump"),
    ("INJ", "fuel injectors"),
    ("IC", "intercooler"),
    ("HX", "heat exchanger"),
    ("HPFP", "high-pressure fuel pump"),
    ("ECU", "engine control unit"),
];

const ENGINE_SPARES: &[Spare] = &[
    ("Oil filter", "X00040436", "pcs", 4, 8),
    ("Fuel filter", "X00059470", "pcs", 4, 8),
    ("Fuel prefilter element", "X00061912", "pcs", 2, 6),
    ("Air filter element", "X00052837", "pcs", 2, 4),
    ("Raw water impeller", "X00057114", "pcs", 2, 4),
    ("V-belt", "0089974792", "pcs", 2, 4),
    ("Thermostat", "0032032275", "pcs", 2, 4),
    ("Injector", "X00063810", "pcs", 2, 4),
    ("Zinc anode", "0031845301", "pcs", 4, 12),
    ("Rocker cover gasket", "0039971248", "pcs", 1, 4),
    ("Turbocharger gasket set", "X00048206", "set", 1, 2),
    ("Engine oil", "X00070148", "L", 4, 12),
    ("Coolant", "X00070155", "L", 4, 12),
    ("Coolant hose", "X00052971", "pcs", 1, 2),
    ("Starter relay", "X00057390", "pcs", 1, 1),
    ("Oil pressure sensor", "X00061248", "pcs", 1, 1),
    ("Coolant temperature sensor", "X00061255", "pcs", 1, 1),
];

/// ZF 3050 gearboxes.
const GEARBOX_COMPONENTS: &[Component] = &[
    ("CLU", "clutch packs"),
    ("OP", "oil pump"),
    ("OC", "oil cooler"),
    ("CV", "shift control valve"),
    ("OFH", "oil filter housing"),
    ("OSS", "output shaft seal"),
    ("CPL", "input coupling"),
];

const GEARBOX_SPARES: &[Spare] = &[
    ("Oil filter", "0501313375", "pcs", 2, 4),
    ("Gearbox oil", "0750199002", "L", 4, 12),
    ("Oil cooler zinc anode", "3214308005", "pcs", 2, 6),
    ("Output shaft seal", "0734319615", "pcs", 1, 2),
    ("Clutch disc set", "3050303110", "set", 0, 0),
    ("O-ring kit", "0634313476", "kit", 1, 2),
    ("Shift solenoid valve", "0501315338", "pcs", 1, 1),
    ("Oil cooler gasket set", "3050251044", "set", 1, 2),
];

/// Kohler 99EFOZ generators.
const GENERATOR_COMPONENTS: &[Component] = &[
    ("ALT", "alternator"),
    ("RWP", "raw-water pump"),
    ("HX", "heat exchanger"),
    ("INJ", "fuel injectors"),
    ("AVR", "voltage regulator"),
    ("CTL", "controller"),
    ("EXE", "exhaust elbow"),
];

const GENERATOR_SPARES: &[Spare] = &[
    ("Oil filter", "GM16749", "pcs", 4, 8),
    ("Fuel filter", "GM32359", "pcs", 4, 8),
    ("Fuel prefilter element", "GM52213", "pcs", 2, 6),
    ("Air filter", "GM31261", "pcs", 2, 4),
    ("Raw water impeller", "GM78921", "pcs", 2, 6),
    ("Impeller cover gasket", "GM24518", "pcs", 2, 6),
    ("Drive belt", "GM36017", "pcs", 2, 4),
    ("Zinc anode", "GM31254", "pcs", 4, 12),
    ("Thermostat", "GM40428", "pcs", 1, 2),
    ("Injector", "GM64219", "pcs", 1, 3),
    ("Engine oil", "GM68370", "L", 4, 12),
    ("Coolant", "GM58612", "L", 4, 12),
    ("Coolant hose", "GM36215", "pcs", 1, 2),
    ("Starter relay", "GM51740", "pcs", 1, 1),
    ("Coolant temperature sender", "GM29314", "pcs", 1, 1),
    ("Oil pressure sender", "GM29307", "pcs", 1, 1),
];

/// Northern Lights M944W3 emergency generator.
const EMERGENCY_GENERATOR_COMPONENTS: &[Component] = &[
    ("ALT", "alternator"),
    ("RWP", "raw-water pump"),
    ("HX", "heat exchanger"),
    ("INJ", "fuel injectors"),
    ("STR", "starter motor"),
    ("CTL", "control panel"),
];

const EMERGENCY_GENERATOR_SPARES: &[Spare] = &[
    ("Oil filter", "26-01106", "pcs", 2, 4),
    ("Fuel filter", "26-09130", "pcs", 2, 4),
    ("Air filter", "26-20042", "pcs", 1, 2),
    ("Raw water impeller", "24-03401", "pcs", 2, 4),
    ("V-belt", "24-05167", "pcs", 1, 2),
    ("Zinc anode", "24-15410", "pcs", 2, 6),
    ("Thermostat", "24-10522", "pcs", 1, 1),
    ("Glow plug", "24-08345", "pcs", 2, 4),
];

/// Naiad Multisea II stabiliser fins.
const FIN_COMPONENTS: &[Component] = &[
    ("ACT", "fin actuator"),
    ("CYL", "hydraulic cylinder"),
    ("SHF", "fin shaft"),
    ("BRG", "shaft bearings"),
    ("SRV", "servo valve"),
    ("SEN", "position sensor"),
    ("FIN", "fin blade"),
];

const FIN_SPARES: &[Spare] = &[
    ("Fin shaft seal kit", "NAI-210-0155", "kit", 1, 2),
    ("Fin shaft bearing", "NAI-210-0162", "pcs", 1, 2),
    ("Actuator seal kit", "NAI-310-0417", "kit", 1, 2),
    ("Hydraulic cylinder seal kit", "NAI-310-0421", "kit", 1, 2),
    ("Hydraulic filter element", "NAI-115-0304", "pcs", 2, 4),
    ("Servo valve", "NAI-450-0089", "pcs", 0, 0),
    ("Position sensor", "NAI-520-0233", "pcs", 1, 1),
    ("Hydraulic hose assembly", "NAI-610-1208", "pcs", 1, 2),
    ("Zinc anode", "NAI-710-0014", "pcs", 2, 4),
];

/// Naiad HPU 300 stabiliser hydraulic power unit.
const HPU_COMPONENTS: &[Component] = &[
    ("PMP", "hydraulic pump"),
    ("MTR", "electric motor"),
    ("RES", "oil reservoir"),
    ("OC", "oil cooler"),
    ("ACC", "accumulator"),
    ("FLT", "filter manifold"),
];

const HPU_SPARES: &[Spare] = &[
    ("Hydraulic filter element", "NAI-115-0310", "pcs", 2, 6),
    ("Breather filter", "NAI-115-0325", "pcs", 1, 2),
    ("Hydraulic oil", "NAI-900-0046", "L", 4, 12),
    ("Pump shaft seal", "NAI-120-0277", "pcs", 1, 2),
    ("Drive coupling insert", "NAI-125-0090", "pcs", 1, 2),
    ("Oil cooler zinc anode", "NAI-130-0052", "pcs", 2, 6),
    ("Accumulator bladder", "NAI-140-0118", "pcs", 0, 0),
    ("Pressure transducer", "NAI-520-0241", "pcs", 1, 1),
];

/// Sea Recovery Aqua Whisper 1800 watermakers.
const WATERMAKER_COMPONENTS: &[Component] = &[
    ("HPP", "HP pump"),
    ("MEM", "RO membranes"),
    ("PF", "pre-filters"),
    ("BP", "boost pump"),
    ("CF", "carbon filter"),
    ("PRV", "pressure regulating valve"),
    ("CTL", "control panel"),
];

const WATERMAKER_SPARES: &[Spare] = &[
    ("RO membrane", "B-1214", "pcs", 1, 1),
    ("Pre-filter cartridge, 5 micron", "B-0432", "pcs", 4, 12),
    ("Pre-filter cartridge, 20 micron", "B-0433", "pcs", 4, 12),
    ("Carbon filter", "B-0611", "pcs", 2, 4),
    ("HP pump oil", "B-0877", "L", 2, 4),
    ("HP pump seal kit", "B-1562", "kit", 1, 2),
    ("Boost pump impeller", "B-0915", "pcs", 1, 2),
    ("Membrane housing O-ring kit", "B-1230", "kit", 1, 2),
    ("Membrane cleaning compound", "B-2051", "L", 2, 4),
    ("Sea strainer basket", "B-0704", "pcs", 1, 1),
];

/// Dometic Chiller 60K chillers.
const CHILLER_COMPONENTS: &[Component] = &[
    ("CMP", "compressor"),
    ("CND", "condenser"),
    ("EVP", "evaporator"),
    ("SWP", "seawater pump"),
    ("CWP", "chilled-water pump"),
    ("TXV", "expansion valve"),
    ("CTL", "control board"),
];

const CHILLER_SPARES: &[Spare] = &[
    ("Refrigerant filter drier", "ACS-233703", "pcs", 2, 4),
    ("Seawater pump impeller", "ACS-233715", "pcs", 2, 4),
    ("Compressor contactor", "ACS-233741", "pcs", 1, 2),
    ("Start capacitor", "ACS-233758", "pcs", 1, 2),
    ("Condenser zinc anode", "ACS-233766", "pcs", 2, 6),
    ("High-pressure switch", "ACS-233772", "pcs", 1, 1),
    ("Low-pressure switch", "ACS-233779", "pcs", 1, 1),
    ("Chilled-water pump seal", "ACS-233785", "pcs", 1, 2),
    ("Sea strainer basket", "ACS-233798", "pcs", 1, 1),
];

/// Heinen & Hopman AHU-M air handler.
const AIR_HANDLER_COMPONENTS: &[Component] = &[
    ("FAN", "supply fan"),
    ("CC", "cooling coil"),
    ("HC", "heating coil"),
    ("FLT", "filter section"),
    ("DMP", "damper actuator"),
    ("DRN", "condensate pump"),
];

const AIR_HANDLER_SPARES: &[Spare] = &[
    ("Air filter, G4 panel", "HH-20-3015", "pcs", 4, 12),
    ("Bag filter, F7", "HH-20-3022", "pcs", 2, 6),
    ("Fan belt", "HH-31-1108", "pcs", 1, 2),
    ("Fan motor bearing", "HH-31-1245", "pcs", 1, 2),
    ("Damper actuator", "HH-44-0511", "pcs", 0, 0),
    ("Condensate pump", "HH-52-0087", "pcs", 1, 1),
    ("Temperature sensor", "HH-60-0230", "pcs", 1, 2),
];

/// Azcue CA fire pumps.
const FIRE_PUMP_COMPONENTS: &[Component] = &[
    ("IMP", "impeller"),
    ("MS", "mechanical seal"),
    ("CSG", "pump casing"),
    ("BRG", "bearings"),
    ("MTR", "electric motor"),
    ("STR", "suction strainer"),
];

const FIRE_PUMP_SPARES: &[Spare] = &[
    ("Mechanical seal", "AZ-CA50-MS", "pcs", 1, 2),
    ("Impeller", "AZ-CA50-IMP", "pcs", 1, 1),
    ("Bearing, drive end", "AZ-CA50-BRG1", "pcs", 1, 2),
    ("Bearing, non-drive end", "AZ-CA50-BRG2", "pcs", 1, 2),
    ("Casing gasket", "AZ-CA50-GSK", "pcs", 2, 4),
    ("Wear ring", "AZ-CA50-WR", "pcs", 1, 2),
    ("Coupling insert", "AZ-CA50-CPL", "pcs", 1, 2),
];

/// Alfa Laval MIB 303 fuel separator.
const SEPARATOR_COMPONENTS: &[Component] = &[
    ("BWL", "bowl assembly"),
    ("SPN", "vertical spindle"),
    ("MTR", "drive motor"),
    ("FP", "feed pump"),
    ("SV", "operating-water solenoid valve"),
    ("CTL", "control unit"),
];

const SEPARATOR_SPARES: &[Spare] = &[
    ("Bowl O-ring kit", "587141-02", "kit", 1, 2),
    ("Intermediate service kit", "587142-01", "kit", 1, 1),
    ("Major service kit", "587143-01", "kit", 1, 1),
    ("Friction pad set", "546431-80", "set", 1, 2),
    ("Feed pump mechanical seal", "548875-05", "pcs", 1, 1),
    ("Solenoid valve", "553246-02", "pcs", 1, 1),
    ("Paring disc", "559301-03", "pcs", 0, 0),
    ("Spindle bearing", "529104-06", "pcs", 0, 0),
];

/// Hamann `HL-Cont 07` sewage treatment plant.
const SEWAGE_COMPONENTS: &[Component] = &[
    ("BLW", "aeration blower"),
    ("MEM", "membrane module"),
    ("UV", "UV disinfection unit"),
    ("DP", "dosing pump"),
    ("DCH", "discharge pump"),
    ("SCR", "inlet screen"),
    ("CTL", "control panel"),
];

const SEWAGE_SPARES: &[Spare] = &[
    ("UV lamp", "HA-1010-UV", "pcs", 1, 2),
    ("UV quartz sleeve", "HA-1011-QS", "pcs", 1, 1),
    ("Membrane", "HA-2040-MB", "pcs", 1, 1),
    ("Dosing pump tube", "HA-3120-DT", "pcs", 2, 4),
    ("Blower filter element", "HA-4005-BF", "pcs", 2, 4),
    ("Blower vane set", "HA-4010-VS", "set", 1, 1),
    ("Discharge pump impeller", "HA-5030-IM", "pcs", 1, 2),
    ("Level sensor", "HA-6002-LS", "pcs", 1, 1),
];

/// Lewmar V9 anchor windlass.
const WINDLASS_COMPONENTS: &[Component] = &[
    ("GYP", "gypsy"),
    ("BRK", "brake band"),
    ("CLT", "clutch cone"),
    ("WD", "warping drum"),
    ("GB", "gearbox"),
    ("MTR", "drive motor"),
    ("CTL", "control box"),
];

const WINDLASS_SPARES: &[Spare] = &[
    ("Brake lining", "66000624", "pcs", 1, 2),
    ("Gypsy", "66000618", "pcs", 1, 1),
    ("Clutch cone", "66000667", "pcs", 0, 0),
    ("Motor brushes", "66000631", "set", 1, 2),
    ("Oil seal", "66000645", "pcs", 2, 4),
    ("Gearbox oil", "66000652", "L", 2, 4),
    ("Drive shaft key", "66000673", "pcs", 1, 2),
    ("Footswitch", "68000593", "pcs", 1, 1),
    ("Solenoid contactor", "68000941", "pcs", 1, 1),
];

/// Nautical Structures CR-4 tender davit crane.
const CRANE_COMPONENTS: &[Component] = &[
    ("SLW", "slewing ring"),
    ("LUF", "luffing cylinder"),
    ("BOOM", "telescopic boom"),
    ("WIN", "winch"),
    ("HPU", "hydraulic power pack"),
    ("RC", "remote control"),
];

const CRANE_SPARES: &[Spare] = &[
    ("Hydraulic filter element", "NS-CR4-0112", "pcs", 2, 4),
    ("Hydraulic oil", "NS-CR4-0150", "L", 4, 12),
    ("Hydraulic hose", "NS-CR4-0177", "m", 4, 10),
    ("Winch wire rope", "NS-CR4-0232", "pcs", 1, 1),
    ("Grease cartridge", "NS-CR4-0305", "pcs", 2, 6),
    ("Luffing cylinder seal kit", "NS-CR4-0412", "kit", 1, 1),
    ("Winch brake pad set", "NS-CR4-0520", "set", 1, 1),
    ("Remote control battery", "NS-CR4-0633", "pcs", 2, 4),
    ("Limit switch", "NS-CR4-0701", "pcs", 1, 1),
];

/// Yamaha F250 tender outboard.
const OUTBOARD_COMPONENTS: &[Component] = &[
    ("PH", "powerhead"),
    ("LU", "lower unit"),
    ("WP", "water pump"),
    ("PRP", "propeller"),
    ("PTT", "power trim and tilt"),
    ("FS", "fuel system"),
    ("ECM", "engine control module"),
];

const OUTBOARD_SPARES: &[Spare] = &[
    ("Spark plug", "94702-00452", "pcs", 4, 12),
    ("Water pump impeller kit", "6CE-W0078-00", "kit", 1, 2),
    ("Gear oil", "90790-BS801", "L", 1, 2),
    ("Fuel filter", "6P3-WS24A-01", "pcs", 2, 4),
    ("Oil filter", "69J-13440-04", "pcs", 2, 4),
    ("Engine oil", "LUB-10W30-FC", "L", 4, 8),
    ("Anode, lower unit", "6AW-45251-00", "pcs", 2, 4),
    ("Thermostat", "6AW-12411-00", "pcs", 1, 1),
    ("Timing belt", "6P2-46241-00", "pcs", 1, 1),
    ("Propeller", "6CB-45978-00", "pcs", 1, 1),
];
