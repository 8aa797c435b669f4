"""Deep Q-learning with a target network (keras.io "Deep Q-Learning for Atari Breakout", tf.keras era).

A tiny numpy grid environment instead of Atari; epsilon-greedy action selection with
model(state, training=False) and tf.argmax(...).numpy(), an experience replay buffer,
model_target.predict on sampled next states, a Q update under tf.GradientTape using
tf.one_hot masks and tf.reduce_sum, Huber loss, clipnorm Adam and
model_target.set_weights(model.get_weights()).
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

seed = 42
np.random.seed(seed)
tf.random.set_seed(seed)

gamma = 0.99  # Discount factor for past rewards
epsilon = 1.0  # Epsilon greedy parameter
epsilon_min = 0.1
epsilon_max = 1.0
epsilon_interval = epsilon_max - epsilon_min
batch_size = 8
max_steps_per_episode = 20
num_actions = 4
grid = 5


class GridEnv:
    """Walk on a 5x5 grid towards the goal in the corner; state is a one-hot image."""

    def reset(self):
        self.pos = np.array([0, 0])
        return self._obs()

    def _obs(self):
        obs = np.zeros((grid, grid, 1), dtype="float32")
        obs[self.pos[0], self.pos[1], 0] = 1.0
        return obs

    def step(self, action):
        moves = [(0, 1), (1, 0), (0, -1), (-1, 0)]
        self.pos = np.clip(self.pos + np.array(moves[action]), 0, grid - 1)
        done = bool((self.pos == grid - 1).all())
        reward = 1.0 if done else -0.01
        return self._obs(), reward, done, {}


def create_q_model():
    inputs = layers.Input(shape=(grid, grid, 1))
    layer1 = layers.Conv2D(8, 3, strides=1, activation="relu")(inputs)
    layer2 = layers.Flatten()(layer1)
    layer3 = layers.Dense(32, activation="relu")(layer2)
    action = layers.Dense(num_actions, activation="linear")(layer3)
    return keras.Model(inputs=inputs, outputs=action)


# The first model makes the predictions for Q-values which are used to make an action.
model = create_q_model()
# Build a target model for the prediction of future rewards.
model_target = create_q_model()

optimizer = keras.optimizers.Adam(learning_rate=0.00025, clipnorm=1.0)

# Experience replay buffers
action_history = []
state_history = []
state_next_history = []
rewards_history = []
done_history = []
episode_reward_history = []
running_reward = 0
episode_count = 0
frame_count = 0
epsilon_random_frames = 10
epsilon_greedy_frames = 100.0
max_memory_length = 1000
update_after_actions = 4
update_target_network = 20
loss_function = keras.losses.Huber()

env = GridEnv()
for episode in range(4):
    state = np.array(env.reset())
    episode_reward = 0

    for timestep in range(1, max_steps_per_episode):
        frame_count += 1

        # Use epsilon-greedy for exploration
        if frame_count < epsilon_random_frames or epsilon > np.random.rand(1)[0]:
            action = np.random.choice(num_actions)
        else:
            # Predict action Q-values from environment state
            state_tensor = tf.convert_to_tensor(state)
            state_tensor = tf.expand_dims(state_tensor, 0)
            action_probs = model(state_tensor, training=False)
            # Take best action
            action = tf.argmax(action_probs[0]).numpy()

        # Decay probability of taking random action
        epsilon -= epsilon_interval / epsilon_greedy_frames
        epsilon = max(epsilon, epsilon_min)

        state_next, reward, done, _ = env.step(action)
        state_next = np.array(state_next)
        episode_reward += reward

        action_history.append(action)
        state_history.append(state)
        state_next_history.append(state_next)
        done_history.append(done)
        rewards_history.append(reward)
        state = state_next

        # Update every fourth frame and once batch size is over 8
        if frame_count % update_after_actions == 0 and len(done_history) > batch_size:
            indices = np.random.choice(range(len(done_history)), size=batch_size)
            state_sample = np.array([state_history[i] for i in indices])
            state_next_sample = np.array([state_next_history[i] for i in indices])
            rewards_sample = [rewards_history[i] for i in indices]
            action_sample = [action_history[i] for i in indices]
            done_sample = tf.convert_to_tensor(
                [float(done_history[i]) for i in indices]
            )

            # Build the updated Q-values for the sampled future states
            future_rewards = model_target.predict(state_next_sample, verbose=0)
            # Q value = reward + discount factor * expected future reward
            updated_q_values = rewards_sample + gamma * tf.reduce_max(
                future_rewards, axis=1
            )
            # If final frame set the last value to -1
            updated_q_values = updated_q_values * (1 - done_sample) - done_sample

            # Create a mask so we only calculate loss on the updated Q-values
            masks = tf.one_hot(action_sample, num_actions)

            with tf.GradientTape() as tape:
                q_values = model(state_sample)
                q_action = tf.reduce_sum(tf.multiply(q_values, masks), axis=1)
                loss = loss_function(updated_q_values, q_action)

            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))

        if frame_count % update_target_network == 0:
            # update the the target network with new weights
            model_target.set_weights(model.get_weights())
            template = "running reward: {:.2f} at episode {}, frame count {}"
            print(template.format(running_reward, episode_count, frame_count))

        # Limit the state and reward history
        if len(rewards_history) > max_memory_length:
            del rewards_history[:1]
            del state_history[:1]
            del state_next_history[:1]
            del action_history[:1]
            del done_history[:1]

        if done:
            break

    episode_reward_history.append(episode_reward)
    running_reward = np.mean(episode_reward_history[-100:])
    episode_count += 1

print("episodes:", episode_count, "running reward: %.3f" % running_reward)
