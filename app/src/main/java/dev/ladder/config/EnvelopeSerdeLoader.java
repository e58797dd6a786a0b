package dev.ladder.config;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.policy.InvalidPolicyException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;

/**
 * Makes the envelope serde {@code topics.envelope-serde} names, the way Kafka loads serdes: a
 * public class with a public no-argument constructor, found by the context class loader (where
 * plugin jars are), then {@link Serde#configure configured} once with the {@code kafka:} map as a
 * value serde. Every failure is a {@link ConfigException} on the key that quotes the name as it
 * was written, so {@code ladder config check} reports it offline like any other mistake.
 */
final class EnvelopeSerdeLoader {

    static final String KEY = "topics.envelope-serde";

    private static final String ALLOWED = "the fully qualified name of a public class implementing "
            + Serde.class.getName() + "<" + RetryEnvelope.class.getName()
            + "> with a public no-argument constructor, on the class path; default "
            + TopicsConfig.DEFAULT_ENVELOPE_SERDE;

    private EnvelopeSerdeLoader() {}

    /**
     * Loads, instantiates and configures the serde.
     *
     * @param className the class name as written in the file (or the default)
     * @param kafka the {@code kafka:} entries, passed to {@link Serde#configure} with
     *     {@code isKey = false}
     * @throws ConfigException naming {@link #KEY} and what is wrong with the class
     */
    static Serde<RetryEnvelope> load(String className, Map<String, ?> kafka) {
        if (className == null || className.isBlank()) {
            throw problem("is blank", null);
        }
        String written = "'" + className + "'";
        Class<?> type = find(className.strip(), written);
        if (!Serde.class.isAssignableFrom(type)) {
            throw problem("is " + written + ", which does not implement " + Serde.class.getName(), null);
        }
        String mismatch = serdeOf(type);
        if (mismatch != null) {
            throw problem(
                    "is " + written + ", a Serde<" + mismatch + ">, not a Serde<" + RetryEnvelope.class.getName() + ">",
                    null);
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw problem("is " + written + ", an abstract class; name a concrete one", null);
        }
        @SuppressWarnings("unchecked")
        Serde<RetryEnvelope> serde = (Serde<RetryEnvelope>) instantiate(type, written);
        try {
            serde.configure(kafka == null ? Map.of() : kafka, false);
        } catch (RuntimeException | LinkageError e) {
            try {
                serde.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw problem("is " + written + ", which refused its configuration (the kafka: entries): " + e, e);
        }
        return serde;
    }

    /** The problems of the serde a file names, for {@code config check}: none, or the one that stops it. */
    static List<InvalidPolicyException> problems(String className, Map<String, ?> kafka) {
        List<InvalidPolicyException> problems = new ArrayList<>();
        try {
            load(className, kafka).close();
        } catch (ConfigException e) {
            problems.add(e);
        } catch (RuntimeException e) {
            // it could be made and configured: a close that throws is not the file's mistake
        }
        return problems;
    }

    private static Class<?> find(String name, String written) {
        try {
            // the context loader sees plugin jars added by the app (Kafka's own loader without one),
            // as Kafka finds the classes its configs name
            return Class.forName(name, true, Utils.getContextOrKafkaClassLoader());
        } catch (ClassNotFoundException e) {
            throw problem(
                    "is " + written + ", a class not found on the class path (check the name, a nested class as"
                            + " Outer$Inner, and that its jar is deployed)",
                    e);
        } catch (LinkageError e) {
            throw problem("is " + written + ", a class that could not be loaded: " + e, e);
        }
    }

    private static Object instantiate(Class<?> type, String written) {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw problem("is " + written + ", a class without a public no-argument constructor", e);
        }
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw problem("is " + written + ", whose constructor threw " + cause, cause);
        } catch (IllegalAccessException e) {
            throw problem("is " + written + ", a class that is not public", e);
        } catch (InstantiationException | LinkageError e) {
            throw problem("is " + written + ", a class that cannot be instantiated: " + e, e);
        }
    }

    /**
     * What the class is a serde of, when that is known and cannot be an envelope (a
     * {@code Serdes.StringSerde} is a {@code Serde<String>}); null when it can be, or is not
     * known. Jackson's type factory resolves the argument through the class's supertypes; an
     * unbound type variable comes back as its bound (a generic {@code SpecificAvroSerde<T extends
     * SpecificRecord>} is a serde of {@code SpecificRecord}, which an envelope is).
     */
    private static String serdeOf(Class<?> type) {
        JavaType[] arguments = TypeFactory.defaultInstance().findTypeParameters(type, Serde.class);
        if (arguments.length != 1) {
            return null;
        }
        Class<?> of = arguments[0].getRawClass();
        return of.isAssignableFrom(RetryEnvelope.class) ? null : of.getName();
    }

    private static ConfigException problem(String problem, Throwable cause) {
        return new ConfigException(KEY, null, problem, ALLOWED, cause);
    }
}
