package dev.tollgate.bench.load;

/**
 * One measured figure of one scenario case against one router, e.g. ("fanout json n=1000 100B", "deliveries/s").
 * {@code better} says which way is better, so that a comparison can tell how the ratio reads; NONE marks context
 * (CPU use, counts) that is printed but not compared.
 */
record Figure(String scenarioCase, String name, double value, String unit, Better better) {
    enum Better { HIGHER, LOWER, NONE }

    static Figure higher(String c, String name, double v, String unit) {
        return new Figure(c, name, v, unit, Better.HIGHER);
    }

    static Figure lower(String c, String name, double v, String unit) {
        return new Figure(c, name, v, unit, Better.LOWER);
    }

    static Figure info(String c, String name, double v, String unit) {
        return new Figure(c, name, v, unit, Better.NONE);
    }
}
