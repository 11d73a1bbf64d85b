using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace TimeBank.Api.Infrastructure.Http;

/// <summary>
/// Makes every schema of the document say what the service reads and writes. The framework's schemas lose
/// the type of anything the service's own JSON converters read (text, instants), put <c>null</c> among an
/// enum's values, and mark every constructor parameter required. Here each component schema is matched with
/// the type it was made from and described again from that type:
/// <list type="bullet">
/// <item>a request body's field is <b>required</b> when leaving it out is refused, and <b>nullable</b> when
/// <c>null</c> is accepted, both found by running the request's own validator on its example with the field
/// left out or null, so the document cannot claim a rule the service does not apply;</item>
/// <item>an answer's fields are all required (the service writes every one, null included) and nullable as the
/// C# type is.</item>
/// </list>
/// </summary>
public static class OpenApiSchemas
{
    /// <summary>The type behind each component schema, by its name in the document.</summary>
    private static readonly ConcurrentDictionary<string, Type> TypesByName = new();

    /// <summary>Names the type behind a component schema added by hand (the reports').</summary>
    public static void Remember(string name, Type type) => TypesByName[name] = type;

    public static void DescribeSchemasExactly(this OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = info =>
        {
            var id = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
            if (id is not null) TypesByName[id] = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
            return id;
        };

        // The service's own enum converter hides an enum from the framework's schemas ({} where it would list the
        // names); every schema made from an enum is given its names again before it becomes a component.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type is { } type && (Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } enumType)
            {
                DescribeEnum(schema, enumType);
            }

            return Task.CompletedTask;
        });

        options.AddDocumentTransformer((document, context, _) =>
        {
            var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var rules = new RequestRules(context.ApplicationServices, json);
            // A copy: describing a field may add the component of an enum that had none.
            foreach (var (name, schema) in (document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>()).ToList())
            {
                if (schema is not OpenApiSchema concrete || !TypesByName.TryGetValue(name, out var type)) continue;
                if (type.IsEnum) DescribeEnum(concrete, type);
                else if (type == typeof(Domain.Communities.Quarter)) DescribeQuarter(concrete);
                else if (json.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object } info) DescribeObject(concrete, info, rules, document);
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// An enum is text, exactly one of its kebab-case names (<see cref="KebabCaseEnums"/>, which reads no other
    /// spelling); whether a field may be null is the field's business.
    /// </summary>
    private static void DescribeEnum(OpenApiSchema schema, Type type)
    {
        schema.Type = JsonSchemaType.String;
        schema.Enum = KebabCaseEnums.NamesOf(type).Select(name => (JsonNode)JsonValue.Create(name)).ToList();
    }

    /// <summary>A quarter is written as its year and number, <c>2026Q1</c>.</summary>
    private static void DescribeQuarter(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.String;
        schema.Pattern = "^[0-9]{4}Q[1-4]$";
        schema.Description = "A calendar quarter in the community's time zone, written as its year and number, e.g. `2026Q1`.";
        schema.Properties = null;
        schema.Required = null;
        schema.AdditionalProperties = null;
    }

    private static void DescribeObject(OpenApiSchema schema, JsonTypeInfo info, RequestRules rules, OpenApiDocument document)
    {
        if (schema.Properties is null) return;
        var isRequest = rules.IsRequest(info.Type);
        var required = new HashSet<string>();
        foreach (var property in info.Properties)
        {
            if (!schema.Properties.TryGetValue(property.Name, out var propertySchema)) continue;
            var (isRequired, isNullable) = isRequest ? rules.Of(info.Type, property) : (true, ClrNullable(property));
            if (isRequired) required.Add(property.Name);
            schema.Properties[property.Name] = Describe(propertySchema, property.PropertyType, isNullable, document);
        }

        schema.Required = required;
    }

    /// <summary>The schema of one field: typed, and nullable exactly when <paramref name="nullable"/>.</summary>
    private static IOpenApiSchema Describe(IOpenApiSchema schema, Type type, bool nullable, OpenApiDocument document)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum)
        {
            var reference = EnumReference(target, document);
            return nullable ? NullableReference(reference) : reference;
        }

        switch (schema)
        {
            case OpenApiSchemaReference reference:
                return nullable ? NullableReference(reference) : reference;
            case OpenApiSchema { OneOf.Count: 2 } either when either.OneOf.OfType<OpenApiSchemaReference>().FirstOrDefault() is { } reference:
                // The framework's form of a nullable reference: one of null or the reference.
                return nullable ? either : new OpenApiSchemaReference(reference.Reference.Id!, document);
            case OpenApiSchema inline:
                TypeFromClr(inline, target, document);
                inline.Type = nullable ? (inline.Type ?? 0) | JsonSchemaType.Null : inline.Type & ~JsonSchemaType.Null;
                if (inline.Type == 0) inline.Type = null;
                return inline;
            default:
                return schema;
        }
    }

    /// <summary>
    /// The component of an enum, made here when the framework made none (an enum only ever listed, as a key's
    /// roles are), so that every field of that enum names the one schema and a generated client one type.
    /// </summary>
    private static OpenApiSchemaReference EnumReference(Type enumType, OpenApiDocument document)
    {
        var components = document.Components ??= new OpenApiComponents();
        var schemas = components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!schemas.ContainsKey(enumType.Name))
        {
            var schema = new OpenApiSchema { Description = DocumentedSummary(enumType) };
            DescribeEnum(schema, enumType);
            schemas[enumType.Name] = schema;
        }

        return new OpenApiSchemaReference(enumType.Name, document);
    }

    /// <summary>
    /// A type's summary from the XML documentation built beside its assembly: the framework's own descriptions
    /// come from the same comments, but only for the schemas it made.
    /// </summary>
    private static string? DocumentedSummary(Type type)
    {
        var file = Path.ChangeExtension(type.Assembly.Location, ".xml");
        if (!File.Exists(file)) return null;
        var summary = System.Xml.Linq.XDocument.Load(file).Descendants("member")
            .FirstOrDefault(member => (string?)member.Attribute("name") == "T:" + type.FullName)?.Element("summary");
        return summary is null ? null : string.Join(' ', summary.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static IOpenApiSchema NullableReference(OpenApiSchemaReference reference) =>
        new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] };

    /// <summary>Fills in the type the framework could not see through the service's own converters.</summary>
    private static void TypeFromClr(OpenApiSchema schema, Type type, OpenApiDocument document)
    {
        if (type == typeof(string))
        {
            schema.Type = JsonSchemaType.String;
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = "date-time";
            schema.Pattern = null;
        }
        else if (type == typeof(Domain.Communities.Quarter))
        {
            DescribeQuarter(schema);
        }
        else if (IsInteger(type))
        {
            // Integers are read as JSON numbers only (never from strings).
            schema.Type = JsonSchemaType.Integer;
            schema.Pattern = null;
        }
        else if (DictionaryValueOf(type) is { } value && schema.AdditionalProperties is OpenApiSchema values)
        {
            TypeFromClr(values, Nullable.GetUnderlyingType(value) ?? value, document);
        }
        else if (ElementOf(type) is { } listed && (Nullable.GetUnderlyingType(listed) ?? listed) is { IsEnum: true } enumType)
        {
            schema.Items = EnumReference(enumType, document);
        }
        else if (ElementOf(type) is { } element)
        {
            // A list of text read through the service's converter comes without its items' schema.
            schema.Items ??= new OpenApiSchema();
            if (schema.Items is OpenApiSchema items) TypeFromClr(items, Nullable.GetUnderlyingType(element) ?? element, document);
        }
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte);

    private static Type? DictionaryValueOf(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ElementOf(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        return type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Whether the C# type of an answer's field admits null (a nullable value type, or a reference marked <c>?</c>).</summary>
    private static bool ClrNullable(JsonPropertyInfo property)
    {
        if (property.PropertyType.IsValueType) return Nullable.GetUnderlyingType(property.PropertyType) is not null;
        return property.AttributeProvider switch
        {
            PropertyInfo p => Nullability.Create(p).ReadState != NullabilityState.NotNull,
            FieldInfo f => Nullability.Create(f).ReadState != NullabilityState.NotNull,
            _ => true,
        };
    }

    /// <summary>
    /// What a request body accepts, field by field. The top-level bodies carry an example and a validator: a field
    /// is required when the example without it is refused for that field, and nullable when the example with it
    /// null is not. A body nested inside another (an order's items) is judged by its C# type: required when it has
    /// no default, nullable when its type is.
    /// </summary>
    private sealed class RequestRules(IServiceProvider services, JsonSerializerOptions json)
    {
        private readonly HashSet<Type> _requestTypes = RequestTypes(json);

        public bool IsRequest(Type type) => _requestTypes.Contains(type);

        public (bool Required, bool Nullable) Of(Type type, JsonPropertyInfo property)
        {
            var clrNullable = ClrNullable(property);
            var parameter = property.AssociatedParameter;
            var example = OpenApiDescriptions.ExampleOf(type);
            var validator = (IValidator?)services.GetService(typeof(IValidator<>).MakeGenericType(type));
            var member = type.GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (example is null || validator is null || member?.SetMethod is null)
            {
                var hasDefault = parameter is null || parameter.HasDefaultValue;
                return (!hasDefault && !clrNullable, clrNullable);
            }

            var omitted = parameter is { HasDefaultValue: true } ? parameter.DefaultValue : DefaultOf(property.PropertyType);
            var required = Refuses(validator, example, member, omitted);
            var nullable = clrNullable && !Refuses(validator, example, member, null);
            return (required, nullable);
        }

        private static bool Refuses(IValidator validator, object example, PropertyInfo member, object? value)
        {
            var copy = Copy(example);
            member.SetValue(copy, value);
            var result = validator.Validate(new ValidationContext<object>(copy));
            return result.Errors.Any(e => NamesMember(e.PropertyName, member.Name));
        }

        private static bool NamesMember(string path, string member) =>
            path.Equals(member, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(member + ".", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(member + "[", StringComparison.OrdinalIgnoreCase);

        /// <summary>A record's copy, made by the clone method the compiler gives every record.</summary>
        private static object Copy(object example) =>
            example.GetType().GetMethod("<Clone>$")?.Invoke(example, null)
            ?? throw new InvalidOperationException($"The example of {example.GetType().Name} is not a record.");

        private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

        /// <summary>Every type a request body is made of: the bodies that carry an example, and what they hold.</summary>
        private static HashSet<Type> RequestTypes(JsonSerializerOptions json)
        {
            var found = new HashSet<Type>();
            var bodies = typeof(OpenApiSchemas).Assembly.GetTypes()
                .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExampleRequest<>)));
            foreach (var body in bodies) Add(body);
            return found;

            void Add(Type type)
            {
                type = Nullable.GetUnderlyingType(type) ?? type;
                if (ElementOf(type) is { } element) { Add(element); return; }
                if (type.IsPrimitive || type.IsEnum || type == typeof(string) || !found.Add(type)) return;
                if (json.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info) return;
                foreach (var property in info.Properties) Add(property.PropertyType);
            }
        }
    }
}
