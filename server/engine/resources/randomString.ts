import { allowedValues, attr, prop, range, supported, type ResourceTypeSchema } from "./schema";

export const characterClasses = ["lettersdigits", "letters", "lowercase", "uppercase", "digits", "hexdigits", "octdigits"];

/** Generates a random string once; it changes only when the resource is replaced. */
export const randomString: ResourceTypeSchema = {
  type: "OS::Heat::RandomString",
  description: "Generates a random string, e.g. for passwords or unique names.",
  properties: {
    length: prop.integer("How many characters to generate.", { default: 32, constraints: [range(1, 512)] }),
    sequence: prop.string("Character set to draw from (superseded by character_classes).", {
      constraints: [allowedValues(characterClasses)],
      supportStatus: {
        status: "HIDDEN",
        version: "5.0.0",
        previous: { status: "DEPRECATED", version: "2014.2", message: "Use property character_classes." },
      },
    }),
    character_classes: prop.list("Character classes to draw from, each with a minimum count.", {
      default: [{ class: "lettersdigits", min: 1 }],
      item: prop.map(undefined, {
        schema: {
          class: prop.string("A named class of characters.", {
            default: "lettersdigits",
            constraints: [allowedValues(characterClasses)],
          }),
          min: prop.integer("At least this many characters of the result come from the class.", {
            default: 1,
            constraints: [range(1, 512)],
          }),
        },
      }),
    }),
    character_sequences: prop.list("Explicit character sequences to draw from, each with a minimum count.", {
      item: prop.map(undefined, {
        schema: {
          sequence: prop.string("The characters to draw from.", { required: true }),
          min: prop.integer("At least this many characters of the result come from the sequence.", {
            default: 1,
            constraints: [range(1, 512)],
          }),
        },
      }),
    }),
    salt: prop.string("Ignored by the generator; changing it on update forces a new string.", {}),
  },
  attributes: {
    value: attr("The generated string; get_resource on the resource gives it too.", "String"),
  },
  supportStatus: supported("2014.1"),
};
