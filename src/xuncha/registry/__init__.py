"""xuncha.registry"""
