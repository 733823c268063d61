"""Admin of party members and positions."""
