package dev.ladder.handler;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * Creates a custom {@link EventHandler} from its class name, the way Kafka loads serdes and
 * interceptors: a public class with a public no-argument constructor, configured once through
 * {@link EventHandler#configure}.
 *
 * <p>Every failure is an {@link IllegalArgumentException} that names the class and says what to
 * fix, because it surfaces at start as a configuration error.
 */
public final class HandlerLoader {

    private HandlerLoader() {}

    /**
     * Loads, instantiates and configures a handler.
     *
     * @param className fully qualified class name
     * @param settings the handler's own settings, passed to {@link EventHandler#configure}
     * @return the configured handler
     * @throws IllegalArgumentException when the class cannot be found, is not an
     *     {@link EventHandler}, has no public no-argument constructor, or its constructor or
     *     {@code configure} throws
     */
    public static EventHandler load(String className, Map<String, ?> settings) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("handler class is not set");
        }
        String name = className.trim();
        Class<?> type = find(name);
        if (!EventHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    "handler class " + name + " does not implement " + EventHandler.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("handler class " + name + " is abstract; name a concrete class");
        }
        EventHandler handler = instantiate(name, type);
        try {
            handler.configure(settings == null ? Map.of() : settings);
        } catch (RuntimeException e) {
            closeQuietly(handler, e);
            throw new IllegalArgumentException(
                    "handler class " + name + " rejected its settings: " + e.getMessage(), e);
        }
        return handler;
    }

    private static Class<?> find(String name) {
        try {
            // the context loader sees plugin jars added by the app (Kafka's own loader without one),
            // as Kafka finds the classes its configs name
            return Class.forName(name, true, Utils.getContextOrKafkaClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    "handler class " + name
                            + " not found on the class path; check the name and that its jar is deployed",
                    e);
        } catch (LinkageError e) {
            throw new IllegalArgumentException("handler class " + name + " could not be loaded: " + e, e);
        }
    }

    private static EventHandler instantiate(String name, Class<?> type) {
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("handler class " + name + " needs a public no-argument constructor", e);
        }
        try {
            return (EventHandler) constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("constructor of handler class " + name + " threw " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(
                    "handler class " + name + " is not public; make the class and its no-argument constructor public",
                    e);
        } catch (InstantiationException e) {
            throw new IllegalArgumentException("handler class " + name + " cannot be instantiated", e);
        }
    }

    private static void closeQuietly(EventHandler handler, RuntimeException failure) {
        try {
            handler.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
