package org.microfw;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/** Tiny fake web framework: routes are dispatched reflectively, like Spring MVC. */
public class App {
    private final Map<String, Method> routes = new HashMap<>();
    private final Object controller;

    public App(Object controller) {
        this.controller = controller;
        for (Method m : controller.getClass().getMethods()) {
            Route r = m.getAnnotation(Route.class);
            if (r != null) routes.put(r.value(), m);
        }
    }

    public Object dispatch(String path, Map<String, Object> request) throws Throwable {
        Method m = routes.get(path);
        try {
            return invokeHandler(m, request);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object invokeHandler(Method m, Map<String, Object> request) throws InvocationTargetException, IllegalAccessException {
        return m.invoke(controller, request);
    }
}
