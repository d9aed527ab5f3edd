// Everyday benign messages for training only: the public injection sets' benign side is security
// coding requests and sensitive-topic questions, so without these a model learns "anything that is
// neither is an attack" and flags "hi, how are you?". Generated from templates (seeded), never
// used for validation; bench/safety.ts measures ordinary chat on separately written messages.
import { seeded } from "../bench/lib/pii-synthetic";

const TEMPLATES: [string, string[]][] = [
  [
    "Write a {form} about {topic}.",
    ["poem", "haiku", "short story", "limerick", "song", "toast", "birthday card message"],
  ],
  ["Can you write a {form} about {topic} for my {person}?", ["poem", "note", "speech", "paragraph", "riddle"]],
  ["What is the {fact} of {place}?", ["capital", "population", "currency", "official language", "time zone", "area"]],
  [
    "How do I {task} in {tool}?",
    [
      "merge two branches",
      "center a div",
      "read a CSV file",
      "sort a list",
      "add a column",
      "format a date",
      "write a loop",
      "parse JSON",
      "undo a commit",
      "rename a file",
    ],
  ],
  [
    "hi, {greeting}",
    [
      "how are you today?",
      "good morning!",
      "thanks for the help yesterday",
      "are you there?",
      "quick question",
      "hope you're well",
    ],
  ],
  [
    "Please {edit} this paragraph: {topic} is something I care about.",
    ["proofread", "shorten", "translate into French", "make more formal", "summarise", "rewrite"],
  ],
  [
    "What's a good recipe for {dish}?",
    ["pancakes", "lentil soup", "banana bread", "pad thai", "a vegan curry", "lasagna", "chocolate chip cookies"],
  ],
  [
    "Explain {concept} like I'm five.",
    ["recursion", "inflation", "photosynthesis", "black holes", "compound interest", "DNS", "vaccines", "gravity"],
  ],
  [
    "Thanks! Can you also {followup}?",
    [
      "add error handling",
      "make it shorter",
      "add comments",
      "convert it to TypeScript",
      "give me an example",
      "list the sources",
    ],
  ],
  [
    "Remind me what we decided about {topic}.",
    ["the Q3 budget", "the offsite", "the hiring plan", "the launch date", "the new logo"],
  ],
  ["The meeting about {topic} moved to {time}.", ["3pm Thursday", "Monday at 10", "next week", "tomorrow morning"]],
  [
    "My {item} hasn't arrived yet, order {number}. Can you check?",
    ["package", "refund", "invoice", "replacement part", "order"],
  ],
  [
    "Can you recommend a {item} for {person}?",
    ["book", "laptop", "movie", "board game", "podcast", "gift", "running shoe"],
  ],
  ["Summarise the following in three bullet points: {topic} has changed a lot in the last decade.", []],
  ["What's the difference between {a} and {b}?", []],
  ["Help me plan a {n}-day trip to {place}.", []],
  [
    "Our {service} returns a {code} error when {condition}; how should we retry?",
    ["API", "webhook", "database", "gateway", "queue consumer"],
  ],
  ["Act as a friendly {role} and {task2}.", ["tutor", "travel agent", "interviewer", "personal trainer", "editor"]],
  ["Convert {number} {unit} to {unit2}.", ["miles", "kilograms", "fahrenheit", "cups", "inches"]],
  ["Please ignore the typo in my last message, I meant {time}.", []],
  [
    "Forget the {item} I mentioned earlier, let's talk about {topic} instead.",
    ["book", "restaurant", "hotel", "laptop"],
  ],
  [
    "My {contact} is {value}, please {action}.",
    ["email", "phone number", "new address", "card on file", "account number"],
  ],
  ["You can reach {person2} at {value} or by phone at {phone}.", []],
  [
    "To {goal}, open {menu} and click '{button}'.",
    ["reset your password", "change the theme", "export a report", "invite a teammate", "enable two-factor login"],
  ],
  [
    "{tool} {verb} {does} {what}.",
    ["schedules jobs", "stores rows in pages", "caches responses", "compiles to bytecode", "retries failed requests"],
  ],
  [
    "Show me the {doc} for {tool}.",
    ["installation steps", "system requirements", "changelog", "configuration options", "keyboard shortcuts"],
  ],
];
const FILL: Record<string, string[]> = {
  topic: [
    "autumn leaves",
    "the ocean",
    "my cat",
    "friendship",
    "climate change",
    "remote work",
    "coffee",
    "the city at night",
    "machine learning",
    "gardening",
    "football",
    "our product launch",
  ],
  person: ["mom", "colleague", "best friend", "team", "grandfather", "students", "manager"],
  place: ["Portugal", "Japan", "Kenya", "Canada", "Peru", "Norway", "Vietnam", "Morocco", "Chile", "Scotland"],
  tool: ["git", "Excel", "Python", "CSS", "Postgres", "Google Sheets", "VS Code", "bash", "React", "Java"],
  time: ["Tuesday", "4 o'clock", "next Friday", "the 12th", "noon"],
  number: ["#48213", "12", "250", "3.5", "A-7731", "1,200"],
  a: ["TCP", "a loan", "weather", "baking soda", "RAM", "a virus", "stocks", "affect", "SQL", "a crocodile"],
  b: [
    "UDP",
    "a mortgage",
    "climate",
    "baking powder",
    "storage",
    "bacteria",
    "bonds",
    "effect",
    "NoSQL",
    "an alligator",
  ],
  n: ["3", "5", "7", "10"],
  code: ["502", "429", "timeout", "500", "403"],
  condition: ["the upstream is slow", "traffic spikes", "a token expires", "the disk is full"],
  task2: ["quiz me on French verbs", "help me prepare for an interview", "suggest a weekly plan", "review my essay"],
  value: [
    "jane.doe@example.com",
    "+1 415 555 0134",
    "14 Elm Street, Leeds",
    "4111 1111 1111 1111",
    "GB82 WEST 1234 5698 7654 32",
    "k.tanaka@example.org",
  ],
  phone: ["(212) 555-0181", "+44 20 7946 0321", "555-0199"],
  person2: ["Maria", "the landlord", "our accountant", "Dr. Patel", "the venue"],
  action: [
    "send the invoice there",
    "update my profile",
    "use it for the refund",
    "call after 5pm",
    "confirm by Friday",
  ],
  menu: ["Settings > Security", "the Billing page", "Preferences", "the Admin console", "your profile menu"],
  button: ["Reset", "Save", "Export", "Invite", "Enable"],
  does: ["usually", "by default", "in production", "under load"],
  what: [
    "within a few milliseconds",
    "across three availability zones",
    "without blocking the main thread",
    "using a write-ahead log",
  ],
  unit2: ["kilometres", "pounds", "celsius", "millilitres", "centimetres"],
};

/** `count` distinct messages (seeded). */
export function benignChat(count: number, seed = 7): string[] {
  const r = seeded(seed);
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)] as string;
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < count * 20; tries++) {
    const [template, own] = TEMPLATES[Math.floor(r() * TEMPLATES.length)] as [string, string[]];
    const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
      const own2 = [
        "form",
        "fact",
        "task",
        "greeting",
        "edit",
        "dish",
        "concept",
        "followup",
        "item",
        "service",
        "role",
        "unit",
        "doc",
        "contact",
        "goal",
        "verb",
      ];
      return own2.includes(slot) && own.length ? pick(own) : pick(FILL[slot] ?? [slot]);
    });
    out.add(text);
  }
  return [...out];
}
