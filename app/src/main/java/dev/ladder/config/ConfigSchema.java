package dev.ladder.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every key of the config model, derived from the records themselves, so the environment
 * overrides and the documentation test can never drift from the code.
 */
public final class ConfigSchema {

    /** What a leaf key holds. */
    public enum Kind {
        /** A single value: text, number, boolean, duration or choice. */
        SCALAR,
        /** A list of values. */
        LIST,
        /** A free-form map. */
        MAP
    }

    /**
     * One leaf key.
     *
     * @param path the key path as written in docs, e.g. {@code retry.backoff.max-delay}; elements
     *     of a list of sections appear as {@code retry.tiers[].delay}
     * @param kind what the key holds
     * @param type the Java type bound to it
     */
    public record Key(String path, Kind kind, Class<?> type) {

        /** True for keys inside a list of sections, which have no single path. */
        public boolean inList() {
            return path.contains("[]");
        }
    }

    private static final List<Key> KEYS = Collections.unmodifiableList(walk(LadderConfig.class, ""));

    private ConfigSchema() {}

    /** Every leaf key of {@link LadderConfig}, in declaration order. */
    public static List<Key> keys() {
        return KEYS;
    }

    /** The file's spelling of a record component: its {@code @JsonProperty} or kebab-case name. */
    static String jsonName(RecordComponent component) {
        JsonProperty explicit = component.getAnnotation(JsonProperty.class);
        if (explicit == null && component.getAccessor() != null) {
            explicit = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        if (explicit != null && !explicit.value().isEmpty()) {
            return explicit.value();
        }
        return new PropertyNamingStrategies.KebabCaseStrategy().translate(component.getName());
    }

    /** The components of a config record that are keys of the file, in declaration order. */
    static List<RecordComponent> keyComponents(Class<?> record) {
        List<RecordComponent> components = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            // a component's annotations land on its accessor (JsonIgnore does not target components);
            // an ignored one is set by the loader, not a key of the file
            if (!component.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                components.add(component);
            }
        }
        return components;
    }

    private static List<Key> walk(Class<?> record, String prefix) {
        List<Key> keys = new ArrayList<>();
        for (RecordComponent component : keyComponents(record)) {
            String path = prefix + jsonName(component);
            Class<?> type = component.getType();
            if (type.isRecord()) {
                keys.addAll(walk(type, path + "."));
            } else if (List.class.isAssignableFrom(type)) {
                Class<?> element = elementType(component.getGenericType());
                if (element.isRecord()) {
                    keys.addAll(walk(element, path + "[]."));
                } else {
                    keys.add(new Key(path, Kind.LIST, type));
                }
            } else if (Map.class.isAssignableFrom(type)) {
                keys.add(new Key(path, Kind.MAP, type));
            } else {
                keys.add(new Key(path, Kind.SCALAR, type));
            }
        }
        return keys;
    }

    /** The element type of a {@code List<E>}, or the value type of a {@code Map<String, V>}. */
    static Class<?> elementType(Type generic) {
        if (generic instanceof ParameterizedType p) {
            Type[] arguments = p.getActualTypeArguments();
            if (arguments[arguments.length - 1] instanceof Class<?> c) {
                return c;
            }
        }
        return Object.class;
    }
}
