package vn.tracuu.smpp.client;

/**
 * One configured bind the gateway opens to an operator, up or not, for {@code /binds}: a bind-out
 * that cannot connect is otherwise invisible, as only live binds are listed. {@code lastError}:
 * why the latest attempt failed (null before the first failure).
 */
public record BindOutSlot(String operatorId, String name, boolean up, int failedAttempts, String lastError) {}
