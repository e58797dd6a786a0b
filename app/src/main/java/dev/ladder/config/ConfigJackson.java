package dev.ladder.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ladder.policy.LadderSettings.DeadKeyPolicy;
import dev.ladder.policy.LadderSettings.Ordering;
import dev.ladder.policy.Tier;
import dev.ladder.text.Durations;
import dev.ladder.text.Redaction;
import dev.ladder.text.Secrets;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The one Jackson mapper of the config model, its value formats, and the redacted description. */
final class ConfigJackson {

    static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // attempts: 2.5 is a mistake to report, not a 2 to guess
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
            .addModule(new SimpleModule("ladder-config")
                    .addDeserializer(Duration.class, new DurationDeserializer())
                    .addSerializer(Duration.class, new DurationSerializer())
                    .addDeserializer(Ordering.class, new KebabEnumDeserializer<>(Ordering.class))
                    .addDeserializer(DeadKeyPolicy.class, new KebabEnumDeserializer<>(DeadKeyPolicy.class))
                    .addSerializer(Ordering.class, new KebabEnumSerializer<>())
                    .addSerializer(DeadKeyPolicy.class, new KebabEnumSerializer<>()))
            .build();

    private ConfigJackson() {}

    /** A value Jackson rejected, with the values that would be accepted. */
    static final class BadValueException extends InvalidFormatException {
        private static final long serialVersionUID = 1L;
        final String allowed;

        BadValueException(JsonParser p, String value, Class<?> type, String allowed) {
            super(p, "is '" + value + "'", value, type);
            this.allowed = allowed;
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601. */
    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getText();
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                // a bare 30 is ambiguous (seconds? millis?), so say which unit instead of guessing
                throw new BadValueException(p, text, Duration.class, Durations.ALLOWED + " (with a unit)");
            }
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new BadValueException(p, text, Duration.class, Durations.ALLOWED);
            }
        }
    }

    /** The short form in {@link LadderConfig#describe()}. */
    static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }

    /**
     * A library enum ({@code PER_KEY}) spelled in kebab case ({@code per-key}): the library has no
     * Jackson annotations, and the file keeps one spelling style for every choice.
     */
    static final class KebabEnumDeserializer<E extends Enum<E>> extends JsonDeserializer<E> {
        private final Class<E> type;

        KebabEnumDeserializer(Class<E> type) {
            this.type = type;
        }

        @Override
        public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getText();
            for (E constant : type.getEnumConstants()) {
                if (p.currentToken() == JsonToken.VALUE_STRING
                        && kebab(constant).equals(text.trim())) {
                    return constant;
                }
            }
            throw new BadValueException(p, text, type, ConfigErrors.allowed(type));
        }
    }

    /** Writes a library enum in kebab case. */
    static final class KebabEnumSerializer<E extends Enum<E>> extends JsonSerializer<E> {
        @Override
        public void serialize(E value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(kebab(value));
        }
    }

    private static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A whole number of at least 1, or {@code unlimited}. */
    static final class AttemptsDeserializer extends JsonDeserializer<Integer> {
        private static final String ALLOWED = "a whole number of at least 1, or 'unlimited' (last tier only)";

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getText().trim();
            if ("unlimited".equalsIgnoreCase(text)) {
                return Tier.UNLIMITED;
            }
            try {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_STRING) {
                    return Integer.valueOf(text);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new BadValueException(p, text, Integer.class, ALLOWED);
        }
    }

    /** Writes {@link Tier#UNLIMITED} back as {@code unlimited}. */
    static final class AttemptsSerializer extends JsonSerializer<Integer> {
        @Override
        public void serialize(Integer value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value == Tier.UNLIMITED) {
                gen.writeString("unlimited");
            } else {
                gen.writeNumber(value);
            }
        }
    }

    /** The spelling of an enum constant in the file. */
    static String name(Enum<?> value) {
        return MAPPER.convertValue(value, String.class);
    }

    /** {@code key = value} lines of the effective configuration, secrets redacted. */
    static List<String> describe(LadderConfig config) {
        List<String> lines = new ArrayList<>();
        flatten("", MAPPER.valueToTree(config), lines, config.secrets());
        return lines;
    }

    // Secret by name, by having come from a reference (wherever it shows), and URL user info and query.
    private static void flatten(String path, JsonNode node, List<String> lines, Secrets secrets) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (isSecret(path, field.getKey())) {
                    lines.add(child + " = " + Redaction.REDACTED);
                } else {
                    flatten(child, field.getValue(), lines, secrets);
                }
            }
        } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), lines, secrets);
            }
        } else {
            String value = node.isValueNode() ? node.asText() : node.toString();
            lines.add(path + " = " + Redaction.url(secrets.scrub(value)));
        }
    }

    private static boolean isSecret(String parent, String key) {
        if (parent.equals("kafka") || parent.startsWith("handler.settings")) {
            return Redaction.isSecretProperty(key);
        }
        return parent.equals("handler.http.headers") && Redaction.isSecretHeader(key);
    }
}
