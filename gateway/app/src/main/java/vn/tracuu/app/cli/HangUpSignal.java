package vn.tracuu.app.cli;

import java.lang.reflect.Proxy;

/**
 * SIGHUP, the Unix way to ask a service to read its configuration again (systemd's
 * {@code ExecReload=kill -HUP $MAINPID}). Through the JDK's {@code sun.misc.Signal}, reached by
 * reflection: the API is supported (module jdk.unsupported) but javac warns on every direct use,
 * and the build fails on warnings.
 */
final class HangUpSignal {

    private HangUpSignal() {}

    /** Runs {@code action} on each SIGHUP; false where the JVM offers no such signal. */
    static boolean onEach(Runnable action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance("HUP");
            Object handler = Proxy.newProxyInstance(
                    HangUpSignal.class.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            action.run();
                        }
                        return null;
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
