package com.example.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.ctx4j.Context;
import org.ctx4j.TaskGroup;

/** Looks several orders up at once; the first failure cancels the other lookups. */
public final class FanOut {
  private final OrderRepository repository;

  public FanOut(OrderRepository repository) {
    this.repository = repository;
  }

  public List<Order> findAll(Context ctx, List<String> ids)
      throws InterruptedException, ExecutionException {
    try (TaskGroup group = TaskGroup.withLimit(ctx, 4)) {
      List<TaskGroup.Result<Optional<Order>>> lookups = new ArrayList<>();
      for (String id : ids) {
        lookups.add(group.fork(c -> repository.findById(c, id)));
      }
      group.await();
      List<Order> found = new ArrayList<>();
      for (TaskGroup.Result<Optional<Order>> lookup : lookups) {
        lookup.get().ifPresent(found::add);
      }
      return found;
    }
  }
}
